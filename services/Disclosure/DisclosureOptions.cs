namespace Permits.Disclosure;

/// <summary>Configuration section <c>Disclosure</c>.</summary>
public sealed class DisclosureOptions
{
    /// <summary>双公示: decisions must be public within this many working days (Disclosure:PublicationLimitWorkingDays).</summary>
    public int PublicationLimitWorkingDays { get; set; } = 7;

    /// <summary>
    /// Most records appended in one transaction (Disclosure:AppendBatchSize, 1–<see cref="Workers.AppendQueue.BatchSize"/>;
    /// 1 appends each record on its own, as before batching).
    /// </summary>
    public int AppendBatchSize { get; set; } = Workers.AppendQueue.BatchSize;
}

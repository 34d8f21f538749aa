namespace Permits.Disclosure;

/// <summary>Configuration section <c>Disclosure</c>.</summary>
public sealed class DisclosureOptions
{
    /// <summary>双公示: decisions must be public within this many working days (Disclosure:PublicationLimitWorkingDays).</summary>
    public int PublicationLimitWorkingDays { get; set; } = 7;
}

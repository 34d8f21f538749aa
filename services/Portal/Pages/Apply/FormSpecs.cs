using System.Collections.Concurrent;
using Permits.Contracts.Intake.V1;

namespace Permits.Portal.Pages.Apply;

/// <summary>
/// Intake's form specifications (GetFormSpec: the fields a request type asks in a county, with their labels), kept a
/// few minutes per county and type: the form changes with Intake's configuration, the page is drawn on every post.
/// The field labels of the latest answer stay, so a page drawn while Intake is away still names its fields.
/// </summary>
public sealed class FormSpecs(TimeProvider time)
{
    private static readonly TimeSpan Fresh = TimeSpan.FromMinutes(5);

    private readonly ConcurrentDictionary<(string County, RequestType Type), (FormSpec Spec, DateTimeOffset At)> _specs = new();

    private IReadOnlyList<FormField> _fields = [];

    /// <summary>Every field of the form in form order, with its label, as Intake last gave them; empty before its first answer.</summary>
    public IReadOnlyList<FormField> Fields => Volatile.Read(ref _fields);

    /// <summary>The form of <paramref name="type"/> in <paramref name="county"/> ("" for the common form); the RpcException of a failed call passes on.</summary>
    public async Task<FormSpec> GetAsync(
        Applications.ApplicationsClient applications, string county, RequestType type, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        if (_specs.TryGetValue((county, type), out var kept) && now - kept.At < Fresh)
        {
            return kept.Spec;
        }

        var spec = await applications.GetFormSpecAsync(
            new GetFormSpecRequest { CountyCode = county, RequestType = type }, cancellationToken: cancellationToken);
        _specs[(county, type)] = (spec, now);
        Volatile.Write(ref _fields, spec.Fields.ToList());
        return spec;
    }
}

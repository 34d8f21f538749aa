using Grpc.Core;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Permits.Contracts.Disclosure.V1;
using Permits.Portal.Web;
using Permits.Shared.Domain;

namespace Permits.Portal.Pages.Disclosure;

/// <summary>
/// 双公示 行政许可 register: licensing decisions under Chinese column headers, one row per decision (<see cref="RegisterRow"/>), searchable by county, decision date,
/// licensee name and licence number; each row shows how many working days publication took.
/// </summary>
public sealed class RegisterModel(DisclosureLog.DisclosureLogClient log, CountyDirectory counties) : PageModel
{
    public const int PageSize = 20;

    [BindProperty(SupportsGet = true, Name = "county")]
    public string? CountyCode { get; set; }

    [BindProperty(SupportsGet = true, Name = "from")]
    public string? FromDate { get; set; }

    [BindProperty(SupportsGet = true, Name = "to")]
    public string? ToDate { get; set; }

    [BindProperty(SupportsGet = true, Name = "name")]
    public string? Name { get; set; }

    [BindProperty(SupportsGet = true, Name = "licence")]
    public string? LicenceNumber { get; set; }

    /// <summary>Only decisions published later than the 双公示 limit (the late-publication report).</summary>
    [BindProperty(SupportsGet = true, Name = "late")]
    public bool LateOnly { get; set; }

    [BindProperty(SupportsGet = true, Name = "before")]
    public long Before { get; set; }

    public IReadOnlyList<Option> Counties => counties.All.Select(c => new Option(c.Code, c.Name)).ToList();

    public IReadOnlyList<RegisterEntry> Entries { get; private set; } = [];

    public long? Next { get; private set; }

    public Dictionary<string, string> Errors { get; } = new(StringComparer.Ordinal);

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        try
        {
            var reply = LateOnly
                ? await log.ListLatePublicationsAsync(
                    new ListLatePublicationsRequest
                    {
                        CountyCode = CountyCode?.Trim() ?? "",
                        PageSize = PageSize,
                        BeforePosition = Math.Max(0, Before),
                    },
                    cancellationToken: cancellationToken)
                : await log.ListRegisterAsync(
                    new ListRegisterRequest
                    {
                        CountyCode = CountyCode?.Trim() ?? "",
                        FromDate = FromDate?.Trim() ?? "",
                        ToDate = ToDate?.Trim() ?? "",
                        Name = Name?.Trim() ?? "",
                        LicenceNumber = LicenceNumber?.Trim() ?? "",
                        PageSize = PageSize,
                        BeforePosition = Math.Max(0, Before),
                    },
                    cancellationToken: cancellationToken);
            Entries = reply.Entries;
            Next = reply.NextBeforePosition > 0 ? reply.NextBeforePosition : null;
        }
        catch (RpcException ex) when (ex.StatusCode == Grpc.Core.StatusCode.InvalidArgument)
        {
            foreach (var part in ex.Status.Detail.Split("; "))
            {
                var colon = part.IndexOf(':', StringComparison.Ordinal);
                Errors[colon > 0 ? part[..colon] : ""] = colon > 0 ? part[(colon + 1)..].Trim() : part;
            }
        }
    }

    public string? Error(string field) => Errors.GetValueOrDefault(field);

}

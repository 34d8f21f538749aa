using Grpc.Core;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Permits.Contracts.Disclosure.V1;
using Permits.Portal.Web;
using Permits.Shared.Domain;

namespace Permits.Portal.Pages.Requests;

/// <summary>
/// 政府信息公开申请: anyone files a request online without signing in. On success the page shows the request number
/// and the query code once (a refresh re-posts the same client request id and shows the same request).
/// </summary>
public sealed class IndexModel(InformationRequests.InformationRequestsClient requests, CountyDirectory counties, ILogger<IndexModel> logger)
    : PageModel
{
    [BindProperty]
    public RequestForm Form { get; set; } = new();

    public FormErrors Errors { get; private set; } = FormErrors.None;

    public FiledInformationRequest? Filed { get; private set; }

    public string? ServiceProblem { get; private set; }

    public IReadOnlyList<Option> Counties => counties.All.Select(c => new Option(c.Code, $"{c.Name}（{c.Authority}）")).ToList();

    public void OnGet() => Form = new RequestForm { ClientRequestId = Guid.NewGuid().ToString("N") };

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(Form.ClientRequestId))
        {
            Form.ClientRequestId = Guid.NewGuid().ToString("N");
        }

        try
        {
            Filed = await requests.FileRequestAsync(Form.ToRequest(), cancellationToken: cancellationToken);
        }
        catch (RpcException ex) when (ex.StatusCode == Grpc.Core.StatusCode.InvalidArgument)
        {
            Errors = FormErrors.From(ex);
        }
        catch (RpcException ex) when (!HttpContext.RequestAborted.IsCancellationRequested)
        {
            ServiceProblem = RequestErrors.Explain(ex, logger);
        }

        return Page();
    }
}

/// <summary>The form as posted (names bind to Form.*).</summary>
public sealed class RequestForm
{
    public string ClientRequestId { get; set; } = "";
    public string CountyCode { get; set; } = "";
    public string Category { get; set; } = "";
    public string Name { get; set; } = "";
    public string IdNumber { get; set; } = "";
    public string CreditCode { get; set; } = "";
    public string ContactName { get; set; } = "";
    public string Phone { get; set; } = "";
    public string Email { get; set; } = "";
    public string Address { get; set; } = "";
    public string Description { get; set; } = "";
    public string PreferredForm { get; set; } = "Electronic";
    public string DeliveryMethod { get; set; } = "Online";

    public FileInformationRequest ToRequest() => new()
    {
        ClientRequestId = ClientRequestId ?? "",
        CountyCode = CountyCode ?? "",
        Requester = new InformationRequester
        {
            Category = Category ?? "",
            Name = Name ?? "",
            IdNumber = Category == "NaturalPerson" ? IdNumber ?? "" : "",
            CreditCode = Category == "NaturalPerson" ? "" : CreditCode ?? "",
            ContactName = ContactName ?? "",
            Phone = Phone ?? "",
            Email = Email ?? "",
            Address = Address ?? "",
        },
        Description = Description ?? "",
        PreferredForm = PreferredForm ?? "",
        DeliveryMethod = DeliveryMethod ?? "",
    };
}

/// <summary>What a person reads when the service refuses or cannot answer.</summary>
public static partial class RequestErrors
{
    public static string Explain(RpcException ex, ILogger logger)
    {
        switch (ex.StatusCode)
        {
            case StatusCode.NotFound or StatusCode.FailedPrecondition or StatusCode.AlreadyExists or StatusCode.Aborted
                or StatusCode.PermissionDenied:
                return ex.Status.Detail;
            case StatusCode.InvalidArgument:
                return string.Join("；", FormErrors.From(ex).Items.Select(i => i.Message));
            case StatusCode.Unauthenticated:
                return "登录已失效，请退出后重新登录。";
            default:
                LogFailed(logger, ex, ex.StatusCode);
                return "系统暂时无法办理，请稍后重试。";
        }
    }

    [LoggerMessage(LogLevel.Warning, "A disclosure request call failed with {StatusCode}")]
    private static partial void LogFailed(ILogger logger, Exception exception, StatusCode statusCode);
}

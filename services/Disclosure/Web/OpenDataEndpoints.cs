using System.Globalization;
using System.Text;
using System.Text.Json;
using Google.Protobuf;
using Grpc.Core;
using Permits.Contracts.Disclosure.V1;
using Permits.Disclosure.Domain;
using Permits.Disclosure.Features;
using Permits.Disclosure.Platforms;

namespace Permits.Disclosure.Web;

/// <summary>
/// REST/JSON for platforms that cannot speak gRPC: the same requests and handlers as the gRPC services, the same
/// JSON as protobuf's JSON mapping, plus the bulk export as CSV or JSON lines (streamed, so no size cap).
/// Errors are problem details; over quota is 429 with Retry-After.
/// </summary>
public static class OpenDataEndpoints
{
    private static readonly JsonFormatter Json = new(JsonFormatter.Settings.Default.WithFormatDefaultValues(true));

    public static void MapOpenDataEndpoints(this WebApplication app)
    {
        app.MapGet("/open-data/v1/changes", (HttpContext http, PlatformAccess access, ListRecords list) =>
            Run(http, async () =>
            {
                var request = new ListRecordsRequest
                {
                    AfterPosition = Long(http, "after_position"),
                    PageSize = (int)Long(http, "page_size"),
                    CountyCode = Text(http, "county_code"),
                };
                request.Kinds.AddRange(Kinds(http));
                var caller = access.Authorize(http, request.CountyCode);
                await WriteAsync(http, await list.HandleAsync(request, caller.Province, http.RequestAborted));
            }));

        app.MapGet("/open-data/v1/applications/{number}/progress",
            (HttpContext http, string number, PlatformAccess access, ApplicationProgressQuery progress) =>
            Run(http, async () =>
            {
                var caller = access.Authorize(http, "");
                await WriteAsync(http, await progress.HandleAsync(
                    new GetApplicationProgressRequest { ApplicationNumber = number }, caller.Province, http.RequestAborted));
            }));

        app.MapGet("/open-data/v1/export", (HttpContext http, PlatformAccess access, ExportRecords export) =>
            Run(http, async () =>
            {
                var request = new ExportRecordsRequest
                {
                    FromDate = Text(http, "from_date"),
                    ToDate = Text(http, "to_date"),
                    CountyCode = Text(http, "county_code"),
                };
                request.Kinds.AddRange(Kinds(http));
                var format = Text(http, "format");
                if (format is not ("csv" or "jsonl"))
                {
                    new Shared.Domain.FieldErrors().Add("format", "格式须为 csv 或 jsonl").ThrowIfAny();
                }

                var caller = access.Authorize(http, request.CountyCode);
                Features.ExportRecords.Validate(request);
                await StreamExportAsync(http, export.ReadAsync(request, caller.Province, http.RequestAborted), format);
            }));

        app.MapGet("/disclosure/v1/register", (HttpContext http, Register register) =>
            Run(http, async () => await WriteAsync(http, await register.SearchAsync(new ListRegisterRequest
            {
                CountyCode = Text(http, "county_code"),
                FromDate = Text(http, "from_date"),
                ToDate = Text(http, "to_date"),
                Name = Text(http, "name"),
                LicenceNumber = Text(http, "licence_number"),
                PageSize = (int)Long(http, "page_size"),
                BeforePosition = Long(http, "before_position"),
            }, http.RequestAborted))));

        app.MapGet("/disclosure/v1/register/late", (HttpContext http, Register register) =>
            Run(http, async () => await WriteAsync(http, await register.LateAsync(new ListLatePublicationsRequest
            {
                CountyCode = Text(http, "county_code"),
                PageSize = (int)Long(http, "page_size"),
                BeforePosition = Long(http, "before_position"),
            }, http.RequestAborted))));

        app.MapGet("/disclosure/v1/chain/verify", (HttpContext http, VerifyChain verify) =>
            Run(http, async () => await WriteAsync(http, await verify.HandleAsync(http.RequestAborted))));
    }

    private static readonly string[] CsvColumns =
    [
        "position", "record_id", "kind", "application_number", "county_code", "authority", "occurred_at", "recorded_at",
        "summary", "supersedes", "chain_sequence", "previous_hash", "record_hash", "public_fields",
    ];

    private static async Task StreamExportAsync(HttpContext http, IAsyncEnumerable<LogRow> rows, string format)
    {
        http.Response.ContentType = format == "csv" ? "text/csv; charset=utf-8" : "application/x-ndjson; charset=utf-8";
        http.Response.Headers.ContentDisposition = $"attachment; filename=disclosure-records.{format}";
        var writer = new StreamWriter(http.Response.Body, new UTF8Encoding(false), 64 * 1024);
        await using (writer.ConfigureAwait(false))
        {
            if (format == "csv")
            {
                await writer.WriteLineAsync(string.Join(',', CsvColumns));
            }

            var count = 0;
            await foreach (var row in rows)
            {
                await writer.WriteLineAsync(format == "csv" ? CsvLine(row) : Json.Format(row.ToMessage()));
                if (++count % 1000 == 0)
                {
                    await writer.FlushAsync(http.RequestAborted);
                }
            }
        }
    }

    private static string CsvLine(LogRow row)
    {
        string[] cells =
        [
            row.Position.ToString(CultureInfo.InvariantCulture), row.RecordId.ToString(), row.Kind, row.ApplicationNumber,
            row.CountyCode, row.Authority, row.OccurredAt.UtcDateTime.ToString("O", CultureInfo.InvariantCulture),
            row.RecordedAt.UtcDateTime.ToString("O", CultureInfo.InvariantCulture), row.Summary,
            row.Supersedes?.ToString() ?? "", (row.ChainSequence ?? 0).ToString(CultureInfo.InvariantCulture),
            row.PreviousHash ?? "", row.RecordHash ?? "", JsonSerializer.Serialize(row.Fields()),
        ];
        return string.Join(',', cells.Select(Csv));
    }

    private static string Csv(string value) =>
        value.AsSpan().IndexOfAny(",\"\r\n") < 0 ? value : $"\"{value.Replace("\"", "\"\"", StringComparison.Ordinal)}\"";

    private static async Task Run(HttpContext http, Func<Task> handle)
    {
        try
        {
            await handle();
        }
        catch (RpcException ex) when (!http.Response.HasStarted)
        {
            var status = ex.StatusCode switch
            {
                StatusCode.InvalidArgument => StatusCodes.Status400BadRequest,
                StatusCode.Unauthenticated => StatusCodes.Status401Unauthorized,
                StatusCode.PermissionDenied => StatusCodes.Status403Forbidden,
                StatusCode.NotFound => StatusCodes.Status404NotFound,
                StatusCode.ResourceExhausted => StatusCodes.Status429TooManyRequests,
                _ => StatusCodes.Status500InternalServerError,
            };
            if (ex.Trailers.GetValue(PlatformAccess.RetryAfterTrailer) is { } retryAfter)
            {
                http.Response.Headers.RetryAfter = retryAfter;
            }

            await Results.Problem(detail: ex.Status.Detail, statusCode: status).ExecuteAsync(http);
        }
    }

    private static async Task WriteAsync(HttpContext http, IMessage message)
    {
        http.Response.ContentType = "application/json; charset=utf-8";
        await http.Response.WriteAsync(Json.Format(message), http.RequestAborted);
    }

    private static string Text(HttpContext http, string name) => http.Request.Query[name].ToString().Trim();

    private static long Long(HttpContext http, string name)
    {
        var text = Text(http, name);
        if (text.Length == 0)
        {
            return 0;
        }

        if (!long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value))
        {
            new Shared.Domain.FieldErrors().Add(name, "须为整数").ThrowIfAny();
        }

        return value;
    }

    private static IEnumerable<string> Kinds(HttpContext http) =>
        http.Request.Query["kinds"].SelectMany(k => (k ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
}

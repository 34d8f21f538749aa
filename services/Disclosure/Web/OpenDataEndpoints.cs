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
/// The one open-data call written by hand over REST: the bulk export as CSV or JSON lines, streamed (no size cap).
/// Every other REST path (/open-data/v1/changes, /open-data/v1/applications/{number}/progress, /disclosure/v1/...) is
/// its gRPC rpc through JSON transcoding. The export cannot be: transcoding streams a server-streaming rpc only as JSON
/// under application/json, never as text/csv with a named attachment. It still passes the same gate
/// (<see cref="PlatformAccess"/>) and handler as the gRPC rpc, and reports errors in the same shape as transcoding does
/// (google.rpc.Status as JSON, the HTTP status of the gRPC code, Retry-After when over the rate or quota).
/// </summary>
public static class OpenDataEndpoints
{
    private static readonly JsonFormatter Json = new(JsonFormatter.Settings.Default.WithFormatDefaultValues(true));

    private static readonly JsonFormatter StatusJson = new(JsonFormatter.Settings.Default.WithTypeRegistry(
        Google.Protobuf.Reflection.TypeRegistry.FromMessages(Google.Rpc.BadRequest.Descriptor, Google.Rpc.RetryInfo.Descriptor)));

    public static void MapOpenDataEndpoints(this WebApplication app)
    {
        app.MapGet("/open-data/v1/export", (HttpContext http, PlatformAccess access, ExportRecords export) =>
            Run(http, async () =>
            {
                var request = new ExportRecordsRequest
                {
                    FromDate = Text(http, "from_date"),
                    ToDate = Text(http, "to_date"),
                    CountyCode = Text(http, "county_code"),
                };
                request.Kinds.AddRange(http.Request.Query["kinds"].Select(k => k ?? ""));
                var format = Text(http, "format");
                if (format is not ("csv" or "jsonl"))
                {
                    new Shared.Domain.FieldErrors().Add("format", "格式须为 csv 或 jsonl").ThrowIfAny();
                }

                var caller = await access.AuthorizeAsync(http, request.CountyCode);
                Features.ExportRecords.Validate(request);
                await StreamExportAsync(http, export.ReadAsync(request, caller.Province, http.RequestAborted), format);
            }));
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
            http.Response.StatusCode = ex.StatusCode switch
            {
                StatusCode.InvalidArgument => StatusCodes.Status400BadRequest,
                StatusCode.Unauthenticated => StatusCodes.Status401Unauthorized,
                StatusCode.PermissionDenied => StatusCodes.Status403Forbidden,
                StatusCode.NotFound => StatusCodes.Status404NotFound,
                StatusCode.ResourceExhausted => StatusCodes.Status429TooManyRequests,
                _ => StatusCodes.Status500InternalServerError,
            };
            var details = ex.Trailers.GetValueBytes("grpc-status-details-bin");
            var status = details is null
                ? new Google.Rpc.Status { Code = (int)ex.StatusCode, Message = ex.Status.Detail }
                : Google.Rpc.Status.Parser.ParseFrom(details);
            http.Response.ContentType = "application/json; charset=utf-8";
            await http.Response.WriteAsync(StatusJson.Format(status), http.RequestAborted);
        }
    }

    private static string Text(HttpContext http, string name) => http.Request.Query[name].ToString().Trim();
}

using Google.Protobuf;
using Permits.Contracts.Intake.V1;

namespace Permits.Intake.Features;

/// <summary>A form (draft or as submitted) kept whole as protobuf JSON, so nothing the applicant typed is lost.</summary>
public static class FormJson
{
    /// <summary>Drafts larger than this are refused (the whole form is a few kilobytes).</summary>
    public const int MaxLength = 32 * 1024;

    private static readonly JsonParser Parser = new(JsonParser.Settings.Default.WithIgnoreUnknownFields(true));

    public static string Write(SubmitApplicationRequest form)
    {
        var copy = form.Clone();
        copy.DraftId = "";
        return JsonFormatter.Default.Format(copy);
    }

    public static SubmitApplicationRequest Read(string? json) =>
        string.IsNullOrEmpty(json) ? new SubmitApplicationRequest() : Parser.Parse<SubmitApplicationRequest>(json);
}

using Google.Rpc;
using Grpc.Core;

namespace Permits.Portal.Web;

/// <summary>
/// The field-by-field messages of an INVALID_ARGUMENT answer, keyed by proto field name ("business_name",
/// "delivery.address"). The element showing a field has the id <see cref="ElementId"/> of that name.
/// </summary>
public sealed class FormErrors
{
    public static readonly FormErrors None = new([]);

    private readonly IReadOnlyList<(string Field, string Message)> _items;

    private FormErrors(IReadOnlyList<(string Field, string Message)> items) => _items = items;

    public bool Any => _items.Count > 0;

    public IReadOnlyList<(string Field, string Message)> Items => _items;

    /// <param name="under">
    /// The request field that holds the form (SaveDraft's and Resubmit's <c>form.</c>): stripped, so a message about
    /// <c>form.business_name</c> shows next to the business name as one about Submit's <c>business_name</c> would.
    /// </param>
    public static FormErrors From(RpcException exception, string? under = null)
    {
        var violations = exception.GetRpcStatus()?.GetDetail<BadRequest>()?.FieldViolations;
        if (violations is null || violations.Count == 0)
        {
            // No details: still say what the service said rather than nothing.
            return new FormErrors([("", exception.Status.Detail)]);
        }

        return new FormErrors(violations
            .Select(v => (under is not null && v.Field.StartsWith(under, StringComparison.Ordinal) ? v.Field[under.Length..] : v.Field, v.Description))
            .ToList());
    }

    /// <summary>One message about one field, for a refusal the page knows concerns that field.</summary>
    public static FormErrors Of(string field, string message) => new([(field, message)]);

    /// <summary>The same fields with each message reworded (an officer's page keeps its messages in Chinese only).</summary>
    public FormErrors Reworded(Func<string, string> words) => new(_items.Select(i => (i.Field, words(i.Message))).ToList());

    public static string ElementId(string field) => field.Replace('.', '_');

    /// <summary>All messages for one field, joined; null when the field is fine.</summary>
    public string? For(string field)
    {
        var messages = _items.Where(i => i.Field == field).Select(i => i.Message).ToList();
        return messages.Count == 0 ? null : string.Join("；", messages);
    }
}

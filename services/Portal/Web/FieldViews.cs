namespace Permits.Portal.Web;

/// <summary>
/// What the field partials need to draw one form field accessibly: a label tied to the input, an optional hint, and
/// the error message next to the field (announced through aria-describedby, flagged with aria-invalid).
/// </summary>
/// <param name="Field">The proto field name the service uses in its errors; the element id derives from it.</param>
/// <param name="Name">The form name the page model binds.</param>
public abstract record FieldView(string Field, string Name, string Label, string? Value, string? Error, string? Hint)
{
    public string Id => FormErrors.ElementId(Field);

    public string HintId => Id + "-hint";

    public string ErrorId => Id + "-error";

    /// <summary>The ids of the hint and error, for aria-describedby; null when there are neither.</summary>
    public string? DescribedBy
    {
        get
        {
            var ids = new[] { Hint is null ? null : HintId, Error is null ? null : ErrorId }.OfType<string>().ToArray();
            return ids.Length == 0 ? null : string.Join(' ', ids);
        }
    }
}

public sealed record TextFieldView(
    string Field,
    string Name,
    string Label,
    string? Value,
    string? Error,
    string? Hint = null,
    string Type = "text",
    string? Autocomplete = null,
    string? InputMode = null,
    bool Optional = false,
    string? Width = null)
    : FieldView(Field, Name, Label, Value, Error, Hint);

/// <summary>A select; <see cref="Placeholder"/> adds an empty first option.</summary>
public sealed record SelectFieldView(
    string Field,
    string Name,
    string Label,
    string? Value,
    string? Error,
    IReadOnlyList<Option> Options,
    string? Placeholder = null,
    string? Hint = null)
    : FieldView(Field, Name, Label, Value, Error, Hint);

/// <summary>Radios in a fieldset; the first radio carries the field's id so an error summary link lands on it.</summary>
public sealed record RadioFieldView(
    string Field,
    string Name,
    string Label,
    string? Value,
    string? Error,
    IReadOnlyList<Option> Options,
    string? Hint = null)
    : FieldView(Field, Name, Label, Value, Error, Hint)
{
    public string OptionId(int index) => index == 0 ? Id : $"{Id}-{index + 1}";
}

using Permits.Shared.Domain;

namespace Permits.Certificate.Features.Lifecycle;

/// <summary>What an officer's request gives a step: its field errors, checked before anything is read, and today (China time).</summary>
public sealed class StepInput(DateOnly today)
{
    public FieldErrors Errors { get; } = new();

    public DateOnly Today => today;

    /// <summary>A required reason of at most 150 characters.</summary>
    public string Reason(string text)
    {
        var reason = Text("reason", text, 150);
        if (reason.Length == 0)
        {
            Errors.Add("reason", "请填写原因");
        }

        return reason;
    }

    /// <summary>The text trimmed; a field error when it is longer than <paramref name="max"/>.</summary>
    public string Text(string field, string value, int max)
    {
        var text = value.Trim();
        if (text.Length > max)
        {
            Errors.Add(field, $"不能超过 {max} 个字");
        }

        return text;
    }
}

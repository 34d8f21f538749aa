using System.Globalization;
using Permits.Contracts.Documents;

namespace Permits.Certificate.Documents;

/// <summary>One block of a document's body: a paragraph of running text, or a row of the form's table.</summary>
public abstract record DocumentBlock;

/// <param name="Indent">First line indented by two characters, as official documents are set; false for list items.</param>
public sealed record Paragraph(string Text, bool Indent = true) : DocumentBlock;

/// <summary>A labelled row of a form (实地核查记录, 审核意见, 送达回证 are tables, not letters).</summary>
public sealed record FormRow(string Label, string Value) : DocumentBlock;

/// <summary>
/// What one formal document prints: the issuing bureau, the title of its kind, its number, whom it concerns, the body
/// and the date it bears.
/// </summary>
/// <param name="Applicant">受送达人: the applicant (business) the document is addressed to or records.</param>
public sealed record OfficialDocumentContent(
    OfficialDocumentKind Kind,
    string Number,
    string Bureau,
    string Applicant,
    IReadOnlyList<DocumentBlock> Body,
    DateOnly Date)
{
    /// <summary>A letter (its body opens with a paragraph) is addressed to the applicant; a form names them in a row.</summary>
    public bool IsLetter => Body.Count > 0 && Body[0] is Paragraph;
}

/// <summary>Dates as official documents write them.</summary>
public static class DocumentDates
{
    private static readonly string[] Digits = ["零", "一", "二", "三", "四", "五", "六", "七", "八", "九"];

    /// <summary>In running text and as 成文日期 (GB/T 9704-2012 7.3.5.1: Arabic numerals, year, month and day in full): 2026年12月6日.</summary>
    public static string Plain(DateOnly day) => $"{day.Year}年{day.Month}月{day.Day}日";

    /// <summary>A moment, China time: 2026年12月6日 14时30分.</summary>
    public static string Moment(DateTimeOffset instant)
    {
        var local = Permits.Shared.Domain.ChinaTime.InChina(instant);
        return $"{Plain(DateOnly.FromDateTime(local.DateTime))} {local.Hour}时{local.Minute:D2}分";
    }

    /// <summary>1–99 in Chinese numerals, as numbered items （一）（二） write them: 六, 十, 十二, 二十, 三十一.</summary>
    public static string Numeral(int value) => value switch
    {
        < 0 or > 99 => value.ToString(CultureInfo.InvariantCulture),
        < 10 => Digits[value],
        10 => "十",
        < 20 => "十" + Digits[value - 10],
        _ => Digits[value / 10] + "十" + (value % 10 == 0 ? "" : Digits[value % 10]),
    };
}

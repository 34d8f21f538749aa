using System.Text;
using Permits.Contracts.Disclosure.V1;

namespace Permits.Disclosure.Reports;

/// <summary>
/// Drafts of the text sections written from the figures, offered to the clerk to start from (the clerk's own text is
/// what is published). The wording follows what bureaus write in practice (seed 002).
/// </summary>
public static class DraftTexts
{
    public static string Overview(AnnualReport report)
    {
        var active = report.Active ?? new ActiveDisclosure();
        var requests = report.Requests ?? new RequestTable();
        var received = requests.NewlyReceived?.Total ?? 0;
        var handled = requests.OutcomeTotal?.Total ?? 0;
        var forward = requests.CarriedForward?.Total ?? 0;
        var appeals = report.Appeals ?? new AppealTable();
        var reconsiderations = appeals.Reconsideration?.Total ?? 0;
        var lawsuits = (appeals.LitigationDirect?.Total ?? 0) + (appeals.LitigationAfterReconsideration?.Total ?? 0);
        var text = new StringBuilder();
        text.Append($"{report.Year}年，{report.Authority}认真贯彻《中华人民共和国政府信息公开条例》，坚持“以公开为常态、不公开为例外”，规范开展政府信息公开工作。");
        text.AppendLine();
        text.Append($"（一）主动公开情况。全年作出行政许可处理决定{active.Licensing?.Decisions ?? 0}件");
        text.Append($"；作出行政处罚决定{active.Penalties?.Decisions ?? 0}件");
        text.Append($"；本年新制作规范性文件{active.NormativeDocuments?.NewlyMade ?? 0}件。");
        text.AppendLine();
        text.Append("（二）依申请公开情况。");
        text.Append(received == 0 && (requests.CarriedOver?.Total ?? 0) == 0
            ? "本年度未收到政府信息公开申请。"
            : $"本年度新收政府信息公开申请{received}件，上年结转{requests.CarriedOver?.Total ?? 0}件，办结{handled}件，结转下年度继续办理{forward}件。");
        text.Append(reconsiderations + lawsuits == 0
            ? "未发生因政府信息公开被申请行政复议、提起行政诉讼的情况。"
            : $"因政府信息公开被申请行政复议{reconsiderations}件、被提起行政诉讼{lawsuits}件。");
        text.AppendLine();
        text.Append("（三）政府信息管理。");
        text.AppendLine();
        text.Append("（四）平台建设。");
        text.AppendLine();
        text.Append("（五）监督保障。");
        return text.ToString();
    }

    public static string Problems(AnnualReport report) =>
        $"（一）存在的主要问题。{Environment.NewLine}" +
        $"（二）{report.Year}年改进情况。{Environment.NewLine}" +
        $"（三）{report.Year + 1}年进一步改进措施。";

    public static string OtherMatters(AnnualReport report) =>
        "本年度未收取信息处理费。无其他需要报告的事项。";
}

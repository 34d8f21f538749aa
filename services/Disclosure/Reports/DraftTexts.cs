using System.Text;
using Permits.Contracts.Disclosure.V1;
using Permits.Shared.Domain;

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
        "本年度未收取信息处理费。" + Ratings(report.ServiceRatings ?? new ServiceRatings());

    /// <summary>政务服务“好差评” and the follow-up of its 差评, in the words bureaus use.</summary>
    public static string Ratings(ServiceRatings figures)
    {
        if (figures.Received == 0)
        {
            return "本年度未收到政务服务“好差评”评价。";
        }

        var levels = new (string Label, int Count)[]
        {
            ("非常满意", figures.VerySatisfied), ("满意", figures.Satisfied), ("基本满意", figures.BasicallySatisfied),
            ("不满意", figures.Dissatisfied), ("非常不满意", figures.VeryDissatisfied),
        };
        var text = new StringBuilder($"本年度收到政务服务“好差评”评价{figures.Received}件（");
        text.Append(string.Join("、", levels.Where(l => l.Count > 0).Select(l => $"{l.Label}{l.Count}件")));
        text.Append('）');
        if (figures.Poor == 0)
        {
            return text.Append("，未收到差评。").ToString();
        }

        text.Append($"，其中差评{figures.Poor}件");
        var done = figures.FollowedUpOnTime + figures.FollowedUpLate;
        var timeliness = figures.FollowedUpLate == 0
            ? $"按期办结{figures.FollowedUpOnTime}件"
            : $"按期办结{figures.FollowedUpOnTime}件、逾期办结{figures.FollowedUpLate}件";
        if (figures.Open == 0)
        {
            return text.Append($"，已全部回访整改，{timeliness}。").ToString();
        }

        if (done > 0)
        {
            text.Append($"，已回访整改{done}件（{timeliness}）");
        }

        text.Append($"，{AsOf(figures.AsOf)}尚在回访整改{figures.Open}件");
        if (figures.OpenOverdue > 0)
        {
            text.Append($"，其中已超过回访期限{figures.OpenOverdue}件");
        }

        return text.Append('。').ToString();
    }

    /// <summary>截至年底, or 截至M月d日 in a year not yet ended.</summary>
    private static string AsOf(string day) =>
        ChinaTime.TryParseDate(day, out var date) && (date.Month, date.Day) != (12, 31) ? $"截至{date.Month}月{date.Day}日" : "截至年底";
}

using Permits.Review.Domain;
using Permits.Shared.Security;
using Permits.Shared.Steps;

namespace Permits.Review.Tests;

public sealed class When_an_officer_asks_to_act
{
    private static readonly string[] CountyRoles = [PermitsRoles.Clerk, PermitsRoles.Inspector, PermitsRoles.Reviewer, PermitsRoles.Head];

    /// <summary>The bureau's division of work, written out once more by hand: the steps must agree cell by cell.</summary>
    private static readonly Dictionary<string, string[]> Expected = new()
    {
        ["ViewQueue"] = CountyRoles,
        ["ViewCase"] = CountyRoles,
        ["Claim"] = CountyRoles,
        ["Release"] = CountyRoles,
        ["Accept"] = [PermitsRoles.Clerk],
        ["NotAccept"] = [PermitsRoles.Clerk],
        ["RequestCorrection"] = [PermitsRoles.Clerk],
        ["RecordInspection"] = [PermitsRoles.Inspector],
        ["RecordOpinion"] = [PermitsRoles.Reviewer],
        ["Approve"] = [PermitsRoles.Head],
        ["Deny"] = [PermitsRoles.Head],
        ["Extend"] = [PermitsRoles.Head],
        ["FollowUpRating"] = [PermitsRoles.Head],
        ["Assign"] = CountyRoles,
        ["RequestExtension"] = [PermitsRoles.Inspector, PermitsRoles.Reviewer],
        ["DeclineExtension"] = [PermitsRoles.Head],
        ["ViewBoard"] = [PermitsRoles.Head],
        ["ChangeSettings"] = [PermitsRoles.SystemAdmin],
        ["PublishHolidayCalendar"] = [PermitsRoles.SystemAdmin],
        ["ViewHolidayCalendars"] = [PermitsRoles.SystemAdmin],
    };

    public static TheoryData<string, string> Every()
    {
        var data = new TheoryData<string, string>();
        foreach (var role in PermitsRoles.Officer)
        {
            foreach (var step in Expected.Keys)
            {
                data.Add(role, step);
            }
        }

        return data;
    }

    private static Officer OfHaiyan(params string[] roles) => new("o-1", "甲", roles.ToHashSet(), "330424", "ipv4:127.0.0.1:1");

    private static OfficerStep Step(string code) => Assert.Single(ReviewSteps.All, s => s.Code == code);

    [Fact]
    public void Should_declare_every_step_once() =>
        Assert.Equal(Expected.Keys.Order(), ReviewSteps.All.Select(s => s.Code).Order());

    [Theory]
    [MemberData(nameof(Every))]
    public void Should_allow_exactly_the_roles_of_the_step_in_their_own_county(string role, string step)
    {
        var verdict = OfficerGuard.Decide(OfHaiyan(role), Step(step), "330424", "该案件");

        Assert.Equal(Expected[step].Contains(role), verdict.Allowed);
        Assert.Equal(verdict.Allowed ? "" : OfficerGuard.RoleRefusal(Step(step)), verdict.Reason);
    }

    [Theory]
    [MemberData(nameof(Every))]
    public void Should_refuse_every_role_every_step_in_another_county(string role, string step)
    {
        var verdict = OfficerGuard.Decide(OfHaiyan(role), Step(step), "330421", "该案件");

        Assert.False(verdict.Allowed);
        Assert.Equal("该案件不属于本县（市、区）局，无权查看或办理", verdict.Reason);
    }

    [Fact]
    public void Should_refuse_an_officer_without_a_known_role() =>
        Assert.All(ReviewSteps.All, step => Assert.False(OfficerGuard.Decide(OfHaiyan(), step, "330424").Allowed));

    [Theory]
    [InlineData("Approve", "准予行政许可须由审批岗位办理")]
    [InlineData("RecordInspection", "登记实地核查须由核查岗位办理")]
    [InlineData("Accept", "受理须由受理岗位办理")]
    public void Should_name_the_role_a_step_needs(string step, string refusal) =>
        Assert.Equal(refusal, OfficerGuard.Decide(OfHaiyan(PermitsRoles.Reviewer), Step(step), "330424").Reason);
}

using Permits.Review.Domain;

namespace Permits.Review.Tests;

public sealed class When_an_officer_asks_to_act
{
    /// <summary>The bureau's division of work, written out once more by hand: the policy must agree cell by cell.</summary>
    private static readonly Dictionary<ReviewAction, OfficerRole[]> Expected = new()
    {
        [ReviewAction.ViewQueue] = [OfficerRole.Clerk, OfficerRole.Inspector, OfficerRole.Reviewer, OfficerRole.Head],
        [ReviewAction.ViewCase] = [OfficerRole.Clerk, OfficerRole.Inspector, OfficerRole.Reviewer, OfficerRole.Head],
        [ReviewAction.Claim] = [OfficerRole.Clerk, OfficerRole.Inspector, OfficerRole.Reviewer, OfficerRole.Head],
        [ReviewAction.Release] = [OfficerRole.Clerk, OfficerRole.Inspector, OfficerRole.Reviewer, OfficerRole.Head],
        [ReviewAction.Accept] = [OfficerRole.Clerk],
        [ReviewAction.NotAccept] = [OfficerRole.Clerk],
        [ReviewAction.RequestCorrection] = [OfficerRole.Clerk],
        [ReviewAction.RecordInspection] = [OfficerRole.Inspector],
        [ReviewAction.RecordOpinion] = [OfficerRole.Reviewer],
        [ReviewAction.Approve] = [OfficerRole.Head],
        [ReviewAction.Deny] = [OfficerRole.Head],
        [ReviewAction.Extend] = [OfficerRole.Head],
    };

    public static TheoryData<OfficerRole, ReviewAction> Every()
    {
        var data = new TheoryData<OfficerRole, ReviewAction>();
        foreach (var role in Enum.GetValues<OfficerRole>())
        {
            foreach (var action in Enum.GetValues<ReviewAction>())
            {
                data.Add(role, action);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Every))]
    public void Should_allow_exactly_the_roles_of_the_step_in_their_own_county(OfficerRole role, ReviewAction action)
    {
        var officer = new OfficerContext("o-1", "甲", role, "330424", "ipv4:127.0.0.1:1");

        var verdict = ReviewPolicy.Decide(officer, action, "330424");

        Assert.Equal(Expected[action].Contains(role), verdict.Allowed);
        Assert.Equal(verdict.Allowed, verdict.Reason.Length == 0);
    }

    [Theory]
    [MemberData(nameof(Every))]
    public void Should_refuse_every_role_every_action_in_another_county(OfficerRole role, ReviewAction action)
    {
        var officer = new OfficerContext("o-1", "甲", role, "330424", "ipv4:127.0.0.1:1");

        var verdict = ReviewPolicy.Decide(officer, action, "330421");

        Assert.False(verdict.Allowed);
        Assert.Contains("不属于本县", verdict.Reason);
    }

    [Fact]
    public void Should_refuse_an_officer_without_a_known_role()
    {
        var officer = new OfficerContext("o-1", "甲", null, "330424", "");

        Assert.All(Enum.GetValues<ReviewAction>(), action => Assert.False(ReviewPolicy.Decide(officer, action, "330424").Allowed));
    }

    [Theory]
    [InlineData("clerk", OfficerRole.Clerk)]
    [InlineData("HEAD", OfficerRole.Head)]
    [InlineData(" inspector ", OfficerRole.Inspector)]
    public void Should_read_the_roles_as_the_token_spells_them(string text, OfficerRole role)
    {
        Assert.True(OfficerContext.TryParseRole(text, out var parsed));
        Assert.Equal(role, parsed);
    }

    [Theory]
    [InlineData("")]
    [InlineData("admin")]
    [InlineData("7")]
    public void Should_not_read_unknown_roles(string text) => Assert.False(OfficerContext.TryParseRole(text, out _));
}

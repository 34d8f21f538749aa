using System.Security.Claims;
using Microsoft.Extensions.Configuration;
using Permits.Shared.Security;
using Permits.Testing;

namespace Permits.Shared.Tests.Security;

/// <summary>
/// A caller presents the same token on every call; the validator remembers one that passed. What it answers must not
/// change because of that: the same claims each time, each call's principal its own, and a bad token refused every time.
/// </summary>
public sealed class When_a_caller_presents_the_same_token_again
{
    private readonly PermitsTokenValidator _validator = Validator();

    private static PermitsTokenValidator Validator()
    {
        var audiences = new PermitsAudienceSet();
        audiences.Add("permits-intake");
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(Tokens.Configuration).Build();
        return PermitsTokenValidator.Create(configuration, audiences, null);
    }

    [Fact]
    public async Task Should_accept_it_with_the_same_claims_and_a_principal_of_its_own_each_time()
    {
        var token = Tokens.Applicant("13800571234");

        var (first, firstError) = await _validator.ValidateAsync(token, default);
        Assert.Null(firstError);
        ((ClaimsIdentity)first!.Identity!).AddClaim(new Claim(PermitsClaims.Role, "head"));

        var (second, secondError) = await _validator.ValidateAsync(token, default);
        Assert.Null(secondError);
        Assert.NotSame(first, second);
        Assert.Equal("applicant-13800571234", CallerIdentity.From(second).Subject);
        Assert.Equal("13800571234", CallerIdentity.From(second).PhoneNumber);
        Assert.Equal(["applicant"], CallerIdentity.From(second).Roles);
    }

    [Fact]
    public async Task Should_refuse_an_expired_or_foreign_token_every_time()
    {
        var expired = Tokens.Mint("permits-intake", "applicant-1", null, ["applicant"], lifetime: TimeSpan.FromMinutes(-10));
        var otherAudience = Tokens.Mint("permits-review", "applicant-1", null, ["applicant"]);
        foreach (var token in new[] { expired, otherAudience, expired, otherAudience })
        {
            var (principal, error) = await _validator.ValidateAsync(token, default);
            Assert.Null(principal);
            Assert.NotNull(error);
        }
    }
}

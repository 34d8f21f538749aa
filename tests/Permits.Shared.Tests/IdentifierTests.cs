using Permits.Shared.Domain;

namespace Permits.Shared.Tests;

public sealed class When_an_id_number_is_checked
{
    private static readonly DateOnly Today = new(2026, 12, 6);

    /// <summary>The first 17 digits with their GB 11643 MOD 11-2 check character, so only the part under test is wrong.</summary>
    internal static string WithCheck(string first17)
    {
        int[] weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
        var sum = first17.Select((c, i) => (c - '0') * weights[i]).Sum();
        return first17 + "10X98765432"[sum % 11];
    }

    [Theory]
    [InlineData("33042419800101001")]
    [InlineData("11010519491231002")]
    [InlineData("81000019900101001")]  // 香港居民居住证
    [InlineData("33042420261206001")]  // born today
    public void Should_accept_a_real_province_and_a_birth_date_that_has_happened(string first17) =>
        Assert.True(Identifiers.IsValidIdNumber(WithCheck(first17), Today));

    [Theory]
    [InlineData("33042420261207001", "born tomorrow")]
    [InlineData("33042421000101001", "born in 2100")]
    [InlineData("00000019800101001", "region 000000")]
    [InlineData("99010119800101001", "no province 99")]
    [InlineData("10010119800101001", "no province 10")]
    [InlineData("33000019800101001", "a province, not an address")]
    [InlineData("33042418991231001", "before 1900")]
    [InlineData("33042419800230001", "30 February")]
    public void Should_refuse_an_impossible_place_or_birth_date(string first17, string because)
    {
        Assert.False(Identifiers.IsValidIdNumber(WithCheck(first17), Today), because);
    }

    [Fact]
    public void Should_refuse_a_wrong_check_character()
    {
        var valid = WithCheck("33042419800101001");
        var wrong = valid[..17] + (valid[17] == '0' ? '1' : '0');

        Assert.False(Identifiers.IsValidIdNumber(wrong, Today));
    }
}

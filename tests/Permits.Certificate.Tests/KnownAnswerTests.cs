using Permits.Certificate.Domain;

namespace Permits.Certificate.Tests;

public sealed class When_a_licence_number_is_formatted
{
    [Theory]
    [InlineData("330424", '1', 1, "330424100001")]
    [InlineData("330424", '2', 42, "330424200042")]
    [InlineData("330421", '1', 99_999, "330421199999")]
    public void Should_be_county_code_holder_digit_and_five_digit_serial(string county, char digit, long serial, string expected) =>
        Assert.Equal(expected, LicenceNumber.Format(county, digit, serial));

    [Fact]
    public void Should_map_holder_types_to_their_digit()
    {
        Assert.Equal('1', LicenceNumber.HolderDigit("IndividualBusiness"));
        Assert.Equal('2', LicenceNumber.HolderDigit("Enterprise"));
    }

    [Fact]
    public void Should_refuse_to_wrap_when_serials_run_out()
    {
        var error = Assert.Throws<SerialsExhaustedException>(() => LicenceNumber.Format("330424", '1', 100_000));
        Assert.Contains("330424", error.Message);
        Assert.Contains("exhausted", error.Message);
    }

    [Theory]
    [InlineData("33042")]
    [InlineData("33042A")]
    public void Should_refuse_a_county_code_that_is_not_six_digits(string county) =>
        Assert.Throws<ArgumentException>(() => LicenceNumber.Format(county, '1', 1));
}

public sealed class When_an_elicence_identifier_is_made
{
    [Fact]
    public void Should_compute_the_iso_7064_mod_37_36_check_of_the_isan_example() =>
        // ISAN 0000-0000-D07A-0090-Q: the standard's own worked example of MOD 37,36.
        Assert.Equal('Q', ElicenceIdentifier.CheckCharacter("00000000D07A0090"));

    [Fact]
    public void Should_have_the_gb_t_36904_form_with_a_three_digit_version_and_check_character() =>
        Assert.Equal(
            "1.2.156.3005.2.11100000000013338W.11330424MB00424003.330424100001.001.P",
            ElicenceIdentifier.Create("11100000000013338W", "11330424MB00424003", "330424100001", 1));

    [Fact]
    public void Should_change_with_each_version()
    {
        var first = ElicenceIdentifier.Create("11100000000013338W", "11330424MB00424003", "330424100001", 1);
        var second = ElicenceIdentifier.Create("11100000000013338W", "11330424MB00424003", "330424100001", 2);
        Assert.NotEqual(first, second);
        Assert.Contains(".002.", second);
        Assert.True(ElicenceIdentifier.IsValid(second));
    }

    [Fact]
    public void Should_detect_a_changed_character_or_swapped_neighbours()
    {
        var id = ElicenceIdentifier.Create("11100000000013338W", "11330424MB00424003", "330424100001", 1);
        Assert.True(ElicenceIdentifier.IsValid(id));
        Assert.False(ElicenceIdentifier.IsValid(id.Replace("330424100001", "330424100002")));
        Assert.False(ElicenceIdentifier.IsValid(id.Replace("330424100001", "330424010001")));
    }

    [Fact]
    public void Should_refuse_a_fourth_version_digit() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => ElicenceIdentifier.Create("1", "2", "3", 1000));
}

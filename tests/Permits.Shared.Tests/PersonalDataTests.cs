using Permits.Shared.Domain;

namespace Permits.Shared.Tests;

/// <summary>The one de-identification policy: what a person can be found by goes, what the law publishes stays.</summary>
public sealed class When_free_text_is_published
{
    [Theory]
    [InlineData("身份证330424198001010012", "330424198001010012")]
    [InlineData("手机13800571234", "13800571234")]
    [InlineData("电话0573-86123456", "86123456")]
    [InlineData("电话(0573)86123456", "86123456")]
    [InlineData("电话（0573）86123456", "86123456")]
    [InlineData("座机：86123456", "86123456")]
    [InlineData("邮箱 zhang.wei@example.com 联系", "zhang.wei@example.com")]
    [InlineData("住武原街道百尺路12号3幢2单元501室", "12号3幢2单元501室")]
    [InlineData("住海滨西路88弄3号", "88弄3号")]
    [InlineData("银行卡号 6222 0212 3456 7890 128", "6222 0212 3456 7890 128")]
    [InlineData("卡号6222021234567890123", "6222021234567890123")]
    [InlineData("护照号E12345678", "E12345678")]
    [InlineData("姓名：张伟，", "张伟")]
    [InlineData("负责人李红梅到场", "李红梅")]
    [InlineData("请张伟先生补正", "张伟")]
    public void Should_mask_what_identifies_a_person(string text, string planted)
    {
        var published = PersonalData.Deidentify(text);

        Assert.DoesNotContain(planted, published, StringComparison.Ordinal);
        Assert.NotEmpty(PersonalData.Findings(text));
    }

    [Fact]
    public void Should_mask_the_names_known_to_the_case_wherever_they_appear()
    {
        var published = PersonalData.Deidentify("经查，欧阳建国的店铺距学校不足50米", ["欧阳建国"]);

        Assert.Equal("经查，欧***的店铺距学校不足50米", published);
    }

    [Theory]
    [InlineData("海盐县烟草专卖局不予受理（盐烟不受〔2026〕7号）")]
    [InlineData("许可证号330424100001，统一社会信用代码91330424MA2B3C4D5E")]
    [InlineData("申请编号330424-20260312-00001，2026-03-12 决定，3月12号送达")]
    [InlineData("经营场所距离海盐县实验小学大门不足50米，不符合合理布局规定")]
    [InlineData("请于5个工作日内到政务服务中心一楼烟草窗口领取")]
    public void Should_leave_what_the_law_publishes(string text)
    {
        Assert.Equal(text, PersonalData.Deidentify(text));
        Assert.Empty(PersonalData.Findings(text));
    }

    [Fact]
    public void Should_not_take_a_valid_all_digit_credit_code_for_a_card()
    {
        var code = ValidAllDigitCreditCode();

        Assert.Equal($"统一社会信用代码{code}", PersonalData.Deidentify($"统一社会信用代码{code}"));
    }

    private static string ValidAllDigitCreditCode()
    {
        for (var serial = 0; ; serial++)
        {
            var stem = $"92330424{serial:D9}";
            for (var check = 0; check <= 9; check++)
            {
                if (Identifiers.IsValidCreditCode(stem + check))
                {
                    return stem + check;
                }
            }
        }
    }
}

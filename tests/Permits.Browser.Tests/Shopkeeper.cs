using OpenQA.Selenium;

namespace Permits.Browser.Tests;

/// <summary>What a shopkeeper does on /apply, by the form's element ids.</summary>
public static class Shopkeeper
{
    public const string BusinessName = "海盐县武原街道惠民便利店";

    /// <summary>The contact and recipient number the form gives: where the bureau's SMS go.</summary>
    public const string ContactPhone = "13800571234";

    public static void FillForm(Browser b)
    {
        b.Find(By.Id("county_code"));
        b.Select("county_code", "330424");
        b.Select("request_type", "New");
        // Without JavaScript: the form of the chosen type in the chosen county comes back from the server.
        b.Click(By.XPath("//button[normalize-space()='按所选事项显示表单']"));
        b.WaitForText("海盐县办理“新办”需要填写的项目");
        Assert.Contains("经营面积（平方米）（必填）", b.Text);
        b.Choose("holder_type");                 // 个体工商户, the first option
        b.Type("business_name", BusinessName);
        b.Type("responsible_person", "王建国");
        b.Type("id_number", "330424198001010012");
        b.Type("premises_address", "浙江省嘉兴市海盐县武原街道向阳路 18 号");
        b.Type("floor_area", "35.5");
        b.Choose("premises_tenure");             // 自有
        b.Type("contact_phone", ContactPhone);
        b.Choose("delivery_method");             // 快递到家
        b.Type("delivery_recipient_name", "王建国");
        b.Type("delivery_recipient_phone", ContactPhone);
        b.Type("delivery_address", "浙江省嘉兴市海盐县武原街道向阳路 18 号");
    }

    /// <summary>Uploads the four materials (each upload saves the draft and comes back to the form).</summary>
    public static void UploadMaterials(Browser b)
    {
        (string Kind, string File, byte[] Content)[] materials =
        [
            ("IdCard", "id-card.png", Browser.Png()),
            ("BusinessLicence", "business-licence.pdf", Browser.Pdf()),
            ("PremisesProof", "premises-proof.pdf", Browser.Pdf()),
            ("PremisesPhoto", "premises-photo.png", Browser.Png()),
        ];
        var uploaded = 0;
        foreach (var (kind, file, content) in materials)
        {
            b.Select("kind", kind);
            b.Find(By.Id("content")).SendKeys(b.WriteFile(file, content));
            b.Click(By.XPath("//button[normalize-space()='上传材料']"));
            uploaded++;
            b.WaitForText(file);
            Assert.Equal(uploaded, b.Driver.FindElements(By.CssSelector("#materials li a[href^='/my/materials/']")).Count);
        }
    }
}

using Permits.Contracts.Disclosure;
using Permits.Shared.Domain;

namespace Permits.Disclosure.Tests;

/// <summary>
/// A small log shared by the read-side tests: ten Haiyan cases through the happy path (one of them decided 30 days
/// before it was published), one Beijing case, a corrected and a withdrawn record, and one careless record whose
/// sender left an ID number, a phone number and a full name in it.
/// </summary>
public sealed class PublishedLog : IAsyncLifetime
{
    public const string Person = "欧阳建国";
    public const string IdNumber = "330424199001011234";
    public const string Phone = "13812345678";

    public DisclosureHost Host { get; private set; } = null!;

    public List<DisclosureRecorded> Published { get; } = [];

    public DisclosureRecorded Approval(int i) =>
        Published.Single(r => r.Kind == DisclosureKinds.LicenceApproved && r.ApplicationNumber == Number(i));

    public static string Number(int i) => $"YC2026P{i:D5}";

    public async Task InitializeAsync()
    {
        Host = await DisclosureHost.StartAsync();
        var now = DateTimeOffset.UtcNow;
        for (var i = 1; i <= 10; i++)
        {
            var id = DeterministicGuid.Create("published-log", i);
            foreach (var kind in Records.HappyPath)
            {
                var step = Records.Step(kind, id, Number(i), Records.Haiyan, now.AddMinutes(-60 + i), Person, $"海盐县{i}号烟酒店");
                if (i == 3 && kind == DisclosureKinds.LicenceApproved)
                {
                    // Decided 30 days ago, published only now: late for 双公示.
                    step = step with
                    {
                        PublicFields = new Dictionary<string, string>(step.PublicFields)
                        {
                            ["XK_JDRQ"] = now.AddDays(-30).ToOffset(TimeSpan.FromHours(8)).ToString("yyyy-MM-dd"),
                        },
                    };
                }

                Published.Add(step);
            }
        }

        var beijing = DeterministicGuid.Create("published-log", "beijing");
        Published.AddRange(Records.HappyPath.Take(3).Select(kind =>
            Records.Step(kind, beijing, "YC2026B00001", Records.Beijing, now.AddMinutes(-30), Person, "东城区便利店")));

        var careless = Disclosures.For(
            DisclosureKinds.LicenceApproved, DeterministicGuid.Create("published-log", "careless"), "YC2026P09999",
            Records.Haiyan, now, $"准予许可，经营者{Person}（身份证 {IdNumber}，电话 {Phone}）",
            new Dictionary<string, string>
            {
                ["XK_XDR_MC"] = "海盐县粗心便利店",
                ["XK_FRDB"] = Person,
                ["XK_NR"] = $"联系电话 +86 {Phone}",
            });
        Published.Add(careless);

        var corrected = Disclosures.Correct(Approval(5), 1, now, "更正相对人名称",
            new Dictionary<string, string>(Approval(5).PublicFields) { ["XK_XDR_MC"] = "海盐县五号烟酒商行" });
        var withdrawn = Disclosures.Withdraw(Approval(6), now, "误发撤回");
        Published.Add(corrected);
        Published.Add(withdrawn);

        foreach (var record in Published)
        {
            await Host.PublishAsync(record);
        }

        await Host.WaitForCountAsync(Published.Count, TimeSpan.FromSeconds(60));
    }

    public async Task DisposeAsync() => await Host.DisposeAsync();
}

[CollectionDefinition(Name)]
public sealed class PublishedLogCollection : ICollectionFixture<PublishedLog>
{
    public const string Name = "published log";
}

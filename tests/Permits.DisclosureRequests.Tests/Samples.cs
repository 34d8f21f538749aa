using Grpc.Core;
using Permits.Contracts.Disclosure.V1;
using Permits.Testing;

namespace Permits.DisclosureRequests.Tests;

/// <summary>Requests as people fill them in, with identifiers whose check characters are right.</summary>
public static class Samples
{
    /// <summary>GB 11643's own example number.</summary>
    public const string IdNumber = SampleInformationRequests.IdNumber;

    public static FileInformationRequest Person(string county = RequestsHost.Haiyan, string name = "张三丰") =>
        SampleInformationRequests.Person(county, name);

    public static FileInformationRequest Organisation(string category, string county = RequestsHost.Haiyan) => new()
    {
        ClientRequestId = Guid.NewGuid().ToString("N"),
        CountyCode = county,
        Requester = new InformationRequester
        {
            Category = category,
            Name = "海盐某某有限公司",
            CreditCode = CreditCode("91330424MA2B3C4D5"),
            ContactName = "李四",
            Phone = "0573-86123456",
            Email = "office@example.cn",
        },
        Description = "某路段烟草零售点布局规划的批准文件",
        PreferredForm = "Paper",
        DeliveryMethod = "Email",
    };

    public static FileInformationRequest Of(string category, string county) =>
        category == "NaturalPerson" ? Person(county) : Organisation(category, county);

    /// <summary>Appends the GB 32100 check character to 17 characters.</summary>
    public static string CreditCode(string first17)
    {
        const string alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY";
        int[] weights = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];
        var sum = first17.Select((c, i) => alphabet.IndexOf(c) * weights[i]).Sum();
        var check = 31 - (sum % 31);
        return first17 + alphabet[check == 31 ? 0 : check];
    }

    public static async Task<RpcException> FailsAsync(Func<Task> call)
    {
        try
        {
            await call();
        }
        catch (RpcException ex)
        {
            return ex;
        }

        throw new Xunit.Sdk.XunitException("The call succeeded but should have failed.");
    }
}

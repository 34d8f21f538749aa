using Permits.Contracts.Review.V1;
using Permits.Review.Domain;
using Permits.Shared.Domain;
using Permits.Shared.Steps;

namespace Permits.Review.Features;

/// <summary>The legal grounds a county's officers may cite when refusing: what the 不予受理/不予许可 forms offer.</summary>
public sealed class ListRefusalGrounds(RefusalGrounds grounds, CountyDirectory counties, CaseAction action)
{
    public async Task<RefusalGroundList> HandleAsync(ListRefusalGroundsRequest request, Officer officer)
    {
        var code = request.CountyCode.Trim();
        if (!counties.TryGet(code.Length == 0 ? officer.CountyCode : code, out var county))
        {
            new FieldErrors().Add("county_code", "未知的县级行政区划代码").ThrowIfAny();
        }

        await action.EnsureAllowedAsync(officer, ReviewSteps.ViewCase, "", county.Code);
        var list = new RefusalGroundList();
        list.Grounds.AddRange(grounds.For(county.Code).Select(CaseGrounds.ToMessage));
        return list;
    }
}

using Permits.Contracts.Certificate;
using Permits.Contracts.Certificate.V1;
using Permits.Contracts.Licensing;
using Permits.Shared.Domain;

namespace Permits.Certificate.Features.Lifecycle;

/// <summary>变更: the holder's name, responsible person or premises change; the same number is issued as a new version.</summary>
public static class ChangeLicence
{
    /// <summary>An officer's 变更: at least one of the three given; what is left empty stays as it is.</summary>
    public static LifecyclePlan Requested(ChangeCertificateRequest request, StepInput input)
    {
        var holderName = input.Text("holder_name", request.HolderName, 100);
        var person = input.Text("responsible_person", request.ResponsiblePerson, 50);
        var address = input.Text("premises_address", request.PremisesAddress, 200);
        if (holderName.Length == 0 && person.Length == 0 && address.Length == 0)
        {
            input.Errors.Add("holder_name", "请填写变更后的名称、负责人或经营场所中的至少一项");
        }

        return Plan(holderName, person, address, input.Text("reason", request.Reason, 150));
    }

    public static LifecyclePlan Plan(string holderName, string person, string address, string reason) => new(
        LifecycleSteps.Change,
        LifecycleSteps.RequireValid,
        (row, now) => LifecycleSteps.NextVersion(row, now) with
        {
            HolderName = holderName.Length > 0 ? holderName : row.HolderName,
            ResponsiblePerson = person.Length > 0 ? person : row.ResponsiblePerson,
            PremisesAddress = address.Length > 0 ? address : row.PremisesAddress,
        },
        row => new StepRecord(
            LicenceHistoryRecords.Changed, CertificateDisclosureKinds.Changed, reason,
            $"变更烟草专卖零售许可证 {row.LicenceNumber}（第 {row.Version} 版）", LicensingDisclosure.InForce),
        (session, row, cause, now) => session.PublishAsync(new CertificateVersionIssued(
            row.Id, row.ApplicationId, row.CountyCode, row.LicenceNumber, row.ElicenceId!, row.Version, RequestTypes.Change,
            row.HolderName, row.ValidFrom, row.ValidTo, cause.OfficerId, now)
        {
            RequestApplicationId = cause.RequestApplicationId,
        }));
}

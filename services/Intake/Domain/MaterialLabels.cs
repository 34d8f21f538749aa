using Permits.Contracts.Intake.V1;

namespace Permits.Intake.Domain;

/// <summary>The materials in the applicant's words.</summary>
public static class MaterialLabels
{
    public static string Label(MaterialKind kind) => kind switch
    {
        MaterialKind.IdCard => "负责人身份证",
        MaterialKind.BusinessLicence => "营业执照",
        MaterialKind.PremisesProof => "场所产权证明或租赁合同",
        MaterialKind.PremisesPhoto => "经营场所照片",
        MaterialKind.SitePhoto => "实地核查照片",
        _ => kind.ToString(),
    };
}

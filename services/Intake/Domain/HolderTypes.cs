using Permits.Contracts.Intake.V1;

namespace Permits.Intake.Domain;

/// <summary>The holder types as stored (applications.holder_type) and as the gRPC enum carries them.</summary>
public static class HolderTypes
{
    public const string IndividualBusiness = "IndividualBusiness";
    public const string Enterprise = "Enterprise";

    public static string Name(HolderType type) => type == HolderType.Enterprise ? Enterprise : IndividualBusiness;

    public static HolderType Parse(string name) => name == Enterprise ? HolderType.Enterprise : HolderType.IndividualBusiness;
}

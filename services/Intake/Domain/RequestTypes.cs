using Permits.Contracts.Intake.V1;

namespace Permits.Intake.Domain;

/// <summary>The request types of 《烟草专卖许可证管理办法》, by stored name and by their Chinese label.</summary>
public static class RequestTypes
{
    private static readonly Dictionary<RequestType, (string Name, string Label)> Types = new()
    {
        [RequestType.New] = ("New", "新办"),
        [RequestType.Change] = ("Change", "变更"),
        [RequestType.Renewal] = ("Renewal", "延续"),
        [RequestType.Suspend] = ("Suspend", "停业"),
        [RequestType.Resume] = ("Resume", "恢复营业"),
        [RequestType.Close] = ("Close", "歇业"),
        [RequestType.Reissue] = ("Reissue", "补办"),
        [RequestType.Cancel] = ("Cancel", "注销"),
    };

    public static string Name(RequestType type) => Types[type].Name;

    public static string Label(string name) => Types.Values.FirstOrDefault(t => t.Name == name).Label ?? name;

    public static RequestType Parse(string name) => Types.FirstOrDefault(t => t.Value.Name == name).Key;
}

public static class HolderTypes
{
    public const string IndividualBusiness = "IndividualBusiness";
    public const string Enterprise = "Enterprise";

    public static string Name(HolderType type) => type == HolderType.Enterprise ? Enterprise : IndividualBusiness;

    public static HolderType Parse(string name) => name == Enterprise ? HolderType.Enterprise : HolderType.IndividualBusiness;
}

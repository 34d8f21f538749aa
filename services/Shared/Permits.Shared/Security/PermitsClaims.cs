namespace Permits.Shared.Security;

/// <summary>The claims contract between Identity and every service: exact names, one <c>role</c> claim per role.</summary>
public static class PermitsClaims
{
    public const string Subject = "sub";
    public const string Name = "name";
    public const string Role = "role";

    /// <summary>An officer's county (six-digit division code, e.g. 330424 海盐县).</summary>
    public const string County = "county";

    /// <summary>A platform's province (two-digit division code, e.g. 33 浙江).</summary>
    public const string Province = "province";

    /// <summary>An applicant's mobile number (never shown to the public).</summary>
    public const string PhoneNumber = "phone_number";

    public const string Scope = "scope";
}

/// <summary>Roles: the applicant (商户), the county officer roles, and provincial platforms.</summary>
public static class PermitsRoles
{
    public const string Applicant = "applicant";

    /// <summary>受理</summary>
    public const string Clerk = "clerk";

    /// <summary>核查</summary>
    public const string Inspector = "inspector";

    /// <summary>审核</summary>
    public const string Reviewer = "reviewer";

    /// <summary>审批</summary>
    public const string Head = "head";

    /// <summary>政务公开: handles disclosure requests (依申请公开) and prepares the bureau's annual report.</summary>
    public const string DisclosureClerk = "disclosure-clerk";

    /// <summary>系统管理员 of a county: imports and exports the county's licence register (no case work).</summary>
    public const string SystemAdmin = "system-admin";

    public const string Platform = "platform";

    public static readonly IReadOnlyList<string> Officer = [Clerk, Inspector, Reviewer, Head, DisclosureClerk, SystemAdmin];

    public static readonly IReadOnlyList<string> All = [Applicant, Clerk, Inspector, Reviewer, Head, DisclosureClerk, SystemAdmin, Platform];
}

/// <summary>The audience of each API: a token names the APIs it may call.</summary>
public static class PermitsAudiences
{
    public const string Intake = "permits-intake";
    public const string Review = "permits-review";
    public const string Certificate = "permits-certificate";
    public const string Delivery = "permits-delivery";
    public const string Disclosure = "permits-disclosure";

    /// <summary>Notifications' gRPC API (the messages sent about a case).</summary>
    public const string Notifications = "permits-notifications";

    /// <summary>Identity's own gRPC API (officer accounts), beside its OpenID Connect endpoints.</summary>
    public const string Identity = "permits-identity";

    public static readonly IReadOnlyList<string> All = [Intake, Review, Certificate, Delivery, Disclosure, Identity, Notifications];
}

/// <summary>OAuth2 scopes.</summary>
public static class PermitsScopes
{
    /// <summary>What a signed-in person (applicant or officer) asks for: every Permits API on their behalf.</summary>
    public const string Api = "permits";

    /// <summary>A platform reading the disclosure register and feed.</summary>
    public const string DisclosureRead = "disclosure.read";
}

/// <summary>Authorization policy names (same as the role names, plus <c>officer</c> for any county officer role).</summary>
public static class PermitsPolicies
{
    public const string Applicant = PermitsRoles.Applicant;
    public const string Officer = "officer";
    public const string Clerk = PermitsRoles.Clerk;
    public const string Inspector = PermitsRoles.Inspector;
    public const string Reviewer = PermitsRoles.Reviewer;
    public const string Head = PermitsRoles.Head;
    public const string DisclosureClerk = PermitsRoles.DisclosureClerk;
    public const string Platform = PermitsRoles.Platform;
}

using Google.Protobuf;
using Grpc.Core;
using Permits.Contracts.Certificate.V1;
using Permits.Contracts.Delivery.V1;
using Permits.Contracts.Disclosure.V1;
using Permits.Contracts.Identity.V1;
using Permits.Contracts.Intake.V1;
using Permits.Contracts.Review.V1;
using static Permits.Security.Tests.Caller;
using IntakeDraftRequest = Permits.Contracts.Intake.V1.GetDraftRequest;
using IntakeSaveDraftRequest = Permits.Contracts.Intake.V1.SaveDraftRequest;
using GetClerkNoticeRequest = Permits.Contracts.Notifications.V1.GetClerkNoticeRequest;
using ListMessagesRequest = Permits.Contracts.Notifications.V1.ListMessagesRequest;
using ReportDraftRequest = Permits.Contracts.Disclosure.V1.GetDraftRequest;
using ReportSaveDraftRequest = Permits.Contracts.Disclosure.V1.SaveDraftRequest;

namespace Permits.Security.Tests;

/// <summary>What a caller must get back: allowed (anything but a refusal or a crash), or the refusal named.</summary>
public enum Expect
{
    Allowed,
    Unauthenticated,
    PermissionDenied,
    /// <summary>A refusal that does not confirm the thing exists (another's draft, application, material).</summary>
    NotFound,
    /// <summary>On a public rpc a token that fails validation may be refused or ignored, never honoured.</summary>
    AllowedOrUnauthenticated,
}

/// <summary>
/// Who may call one rpc, and how everyone else is refused. Allowed callers are listed; anonymous callers and invalid
/// tokens get UNAUTHENTICATED (or, on a public rpc, the public answer); everyone else <see cref="Refusal"/>, unless
/// <see cref="Except"/> names their answer. The officer of another county acts in the first officer role allowed.
/// </summary>
public sealed record AccessRule(string Rpc, Func<Seed, Caller, IMessage> Request, Caller[] Allowed)
{
    public Expect Refusal { get; init; } = Expect.PermissionDenied;

    /// <summary>The seed holds nothing this rpc acts on (no 差评), so an allowed caller may be told NOT_FOUND.</summary>
    public bool SeedHasNothingToFind { get; init; }

    public IReadOnlyDictionary<Caller, Expect> Except { get; init; } = new Dictionary<Caller, Expect>();

    public bool IsPublic => Allowed.Contains(Anonymous);

    public string OtherCountyRole =>
        Allowed.Where(CallerKinds.CountyOfficers.Contains).Select(CallerKinds.Role).FirstOrDefault() ?? "head";

    /// <summary>The caller invalid tokens imitate: the first one allowed with a token, else the county's head.</summary>
    public Caller Model => Allowed.FirstOrDefault(c => c is not Anonymous and not OtherCountyOfficer, Head);

    public Expect ExpectedFor(Caller caller)
    {
        if (Except.TryGetValue(caller, out var exception))
        {
            return exception;
        }

        if (Allowed.Contains(caller))
        {
            return Expect.Allowed;
        }

        if (CallerKinds.InvalidTokens.Contains(caller))
        {
            return IsPublic ? Expect.AllowedOrUnauthenticated : Expect.Unauthenticated;
        }

        return caller == Anonymous ? Expect.Unauthenticated : Refusal;
    }
}

/// <summary>
/// THE table: one rule per rpc of the system. A new rpc fails <c>Should_declare_a_policy_for_every_rpc</c> until
/// it has a rule here. Declared as the law and issue 12 require, not as the code happens to answer.
/// </summary>
public static class AccessPolicy
{
    private static readonly Caller[] Everyone = CallerKinds.All.Except(CallerKinds.InvalidTokens).ToArray();
    private static readonly Caller[] ReviewRoles = [Clerk, Inspector, Reviewer, Head];
    private static readonly Caller[] HolderOrCountyOfficers = [Owner, Clerk, Inspector, Reviewer, Head, DisclosureClerk];
    private static readonly Caller[] AnyOfficer = [Clerk, Inspector, Reviewer, Head, DisclosureClerk];

    /// <summary>The officer of another county is answered for their own county where the rpc reads it from the token.</summary>
    private static readonly Dictionary<Caller, Expect> OwnCountyFromToken = new() { [OtherCountyOfficer] = Expect.Allowed };

    /// <summary>A shopkeeper asking for another's thing learns nothing, not even that it exists.</summary>
    private static readonly Dictionary<Caller, Expect> OtherCountyNotFound = new() { [OtherCountyOfficer] = Expect.NotFound };
    private static readonly Dictionary<Caller, Expect> OthersAreNotFound = new() { [OtherShopkeeper] = Expect.NotFound };

    private const string Intake = "permits.intake.v1.Applications/";
    private const string Review = "permits.review.v1.Cases/";
    private const string Certificate = "permits.certificate.v1.Certificates/";
    private const string Delivery = "permits.delivery.v1.Shipments/";
    private const string Officers = "permits.identity.v1.Officers/";
    private const string Accounts = "permits.identity.v1.OfficerAccounts/";
    private const string Messages = "permits.notifications.v1.Messages/";
    private const string Log = "permits.disclosure.v1.DisclosureLog/";
    private const string OpenData = "permits.disclosure.v1.OpenData/";
    private const string Reports = "permits.disclosure.v1.AnnualReports/";
    private const string Requests = "permits.disclosure.v1.InformationRequests/";
    private const string Desk = "permits.disclosure.v1.InformationRequestDesk/";

    public static readonly IReadOnlyList<AccessRule> Rules =
    [
        // Intake: the shopkeeper's own things; the public checklist and form; case materials for the reviewing officers.
        new(Intake + "Submit", (s, c) => s.Submission(c), [Owner, OtherShopkeeper]),
        // The public progress view: the number with its 查询码 (issue 12), for anyone who has both.
        new(Intake + "GetApplication", (s, _) => new GetApplicationRequest
            {
                ApplicationNumber = s.Pending.ApplicationNumber, QueryCode = s.Pending.QueryCode,
            }, Everyone),
        new(Intake + "SaveDraft", (_, c) => new IntakeSaveDraftRequest { Form = Seed.Form(c) }, [Owner, OtherShopkeeper]),
        new(Intake + "GetDraft", (s, _) => new IntakeDraftRequest { DraftId = s.DraftId }, [Owner]) { Except = OthersAreNotFound },
        new(Intake + "DeleteDraft", (s, _) => new DeleteDraftRequest { DraftId = s.SpareDraftId }, [Owner]) { Except = OthersAreNotFound },
        new(Intake + "ListMyApplications", (_, _) => new ListMyApplicationsRequest(), [Owner, OtherShopkeeper]),
        new(Intake + "GetMyApplication", (s, _) => new GetApplicationRequest { ApplicationId = s.Pending.ApplicationId }, [Owner])
            { Except = OthersAreNotFound },
        new(Intake + "Withdraw", (s, _) => new WithdrawApplicationRequest { ApplicationId = s.Delivered.ApplicationId, Reason = "不再经营" }, [Owner])
            { Except = OthersAreNotFound },
        new(Intake + "Resubmit", (s, _) => new ResubmitApplicationRequest { ApplicationId = s.Pending.ApplicationId, Form = s.PendingApplication.Clone() }, [Owner])
            { Except = OthersAreNotFound },
        new(Intake + "Rate", (s, _) => new RateServiceRequest { ApplicationId = s.Delivered.ApplicationId, Level = RatingLevel.Satisfied }, [Owner])
            { Except = OthersAreNotFound },
        new(Intake + "UploadMaterial", (s, _) => new UploadMaterialRequest
            {
                DraftId = s.DraftId, Kind = MaterialKind.PremisesPhoto, FileName = "shop.png", Content = Seed.TinyPng,
            }, [Owner]) { Except = OthersAreNotFound },
        new(Intake + "DownloadMaterial", (s, _) => new DownloadMaterialRequest { MaterialId = s.DraftMaterialId }, [Owner]) { Except = OthersAreNotFound },
        new(Intake + "GetRequirements", (_, _) => new GetRequirementsRequest { CountyCode = Seed.County, RequestType = RequestType.New }, Everyone),
        new(Intake + "GetFormSpec", (_, _) => new GetFormSpecRequest { CountyCode = Seed.County, RequestType = RequestType.Reissue }, Everyone),
        new(Intake + "ListCaseMaterials", (s, _) => new ListCaseMaterialsRequest { ApplicationId = s.Pending.ApplicationId }, ReviewRoles),
        new(Intake + "DownloadCaseMaterial", (s, _) => new DownloadMaterialRequest { MaterialId = s.CaseMaterialId }, ReviewRoles),
        new(Intake + "UploadInspectionPhoto", (s, _) => new UploadInspectionPhotoRequest
            {
                ApplicationId = s.Pending.ApplicationId, FileName = "site.png", Content = Seed.TinyPng,
            }, [Inspector]),
        // The county's materials are its 系统管理员's (system-admin), a role none of these callers holds.
        new(Intake + "GetMaterialSettings", (_, _) => new GetMaterialSettingsRequest { CountyCode = Seed.County }, []),
        new(Intake + "UpdateMaterialSettings", (_, _) => new UpdateMaterialSettingsRequest
            {
                Settings = new MaterialSettings
                {
                    CountyCode = Seed.County,
                    RequestTypes = { new RequestMaterials { RequestType = RequestType.Suspend, Required = { MaterialKind.IdCard } } },
                },
            }, []),
        // So is its form.
        new(Intake + "GetFieldSettings", (_, _) => new GetFieldSettingsRequest { CountyCode = Seed.County }, []),
        new(Intake + "UpdateFieldSettings", (_, _) => new UpdateFieldSettingsRequest
            {
                Settings = new FieldSettings
                {
                    CountyCode = Seed.County,
                    RequestTypes =
                    {
                        new RequestFields
                        {
                            RequestType = RequestType.New,
                            Fields = { new FieldSetting { Field = "floor_area", Requirement = FieldRequirement.Optional } },
                        },
                    },
                },
            }, []),
        new(Intake + "GetCaseApplication", (s, _) => new GetApplicationRequest { ApplicationId = s.Pending.ApplicationId }, ReviewRoles),

        // Review: the county's officers, each step to its role (ReviewSteps); nobody else, never another county.
        new(Review + "ListQueue", (_, _) => new ListQueueRequest { CountyCode = Seed.County }, ReviewRoles),
        new(Review + "GetCase", (s, _) => new GetCaseRequest { CaseId = s.CaseId }, ReviewRoles),
        new(Review + "GetCaseFile", (s, _) => new GetCaseRequest { CaseId = s.CaseId }, ReviewRoles),
        // Each case of a batch answers for itself: another county's officer is told per case, the call succeeds.
        new(Review + "ClaimMany", (s, _) => new ClaimManyRequest { CaseIds = { s.CaseId } }, ReviewRoles) { Except = OwnCountyFromToken },
        new(Review + "Assign", (s, _) => new AssignRequest { Action = Act(s), OfficerId = s.SecondInspector }, ReviewRoles),
        new(Review + "RequestExtension", (s, _) => new CaseActionRequest { CaseId = s.CaseId, Note = "需补充核查" }, [Inspector, Reviewer]),
        new(Review + "DeclineExtension", (s, _) => new CaseActionRequest { CaseId = s.CaseId, Note = "理由不充分" }, [Head]),
        new(Review + "GetBoard", (_, _) => new GetBoardRequest { CountyCode = Seed.County }, [Head]),
        // The seed has no 差评: a head learns there is none (NOT_FOUND, in any county); every other role is refused first.
        new(Review + "RecordRatingFollowUp", (s, _) => new RecordRatingFollowUpRequest
        {
            ApplicationId = s.Delivered.ApplicationId, ContactedOn = "2026-01-05", ContactMethod = "电话", RaterSaid = "等候过长", Rectification = "增设引导员",
        }, [Head]) { Except = OtherCountyNotFound, SeedHasNothingToFind = true },
        new(Review + "CheckLayout", (s, _) => new CheckLayoutRequest { Action = Act(s), Latitude = 30.5265, Longitude = 120.9430 }, ReviewRoles),
        new(Review + "ListRefusalGrounds", (_, _) => new ListRefusalGroundsRequest { CountyCode = Seed.County }, ReviewRoles),
        // The holiday calendar is national and a 系统管理员's (system-admin), a role none of these callers holds.
        new(Review + "PublishHolidayCalendar", (_, _) => new PublishHolidayCalendarRequest { Year = 2027, Notice = "国办发明电〔2026〕9号" }, []),
        new(Review + "ListHolidayCalendars", (_, _) => new ListHolidayCalendarsRequest(), []),
        new(Review + "Claim", (s, _) => Act(s), ReviewRoles),
        new(Review + "Release", (s, _) => Act(s), ReviewRoles),
        new(Review + "ClaimNext", (_, _) => new ClaimNextRequest { Action = new CaseActionRequest() }, ReviewRoles) { Except = OwnCountyFromToken },
        new(Review + "Accept", (s, _) => Act(s), [Clerk]),
        new(Review + "RequestCorrection", (s, _) => new RequestCorrectionRequest
            {
                Action = Act(s), Items = { new Permits.Contracts.Review.V1.CorrectionItem { Material = "身份证明", Reason = "复印件不清晰" } },
            }, [Clerk]),
        new(Review + "NotAccept", (s, _) => new ReasonedActionRequest { Action = Act(s), Reasons = { "不属于本机关职权范围" }, GroundCodes = { "NotInScope" } }, [Clerk]),
        new(Review + "RecordInspection", (s, _) => new RecordInspectionRequest
            {
                Action = Act(s), SecondInspectorId = s.SecondInspector, InspectedOn = ChinaToday(), Findings = "场所独立，与住所分开",
                MeasuredFloorArea = 32.5, Distances = { new MeasuredDistance { Target = "最近零售户", Meters = 120 } }, PremisesCompliant = true,
                Latitude = 30.4102, Longitude = 120.8107,
            }, [Inspector]),
        new(Review + "RecordOpinion", (s, _) => new RecordOpinionRequest { Action = Act(s), Recommendation = "Approve", Opinion = "材料齐全，符合条件" }, [Reviewer]),
        new(Review + "Approve", (s, _) => Act(s), [Head]),
        new(Review + "Deny", (s, _) => new ReasonedActionRequest { Action = Act(s), Reasons = { "距学校不足 50 米" }, GroundCodes = { "NearSchool" } }, [Head]),
        new(Review + "Extend", (s, _) => new CaseActionRequest { CaseId = s.CaseId, Note = "需补充核查" }, [Head]),
        // A county's settings are its 系统管理员's (system-admin), a role none of these callers holds.
        new(Review + "GetPromisedLimits", (_, _) => new GetPromisedLimitsRequest { CountyCode = Seed.County }, Everyone),
        new(Review + "GetReviewSettings", (_, _) => new GetReviewSettingsRequest { CountyCode = Seed.County }, []),
        new(Review + "UpdateReviewSettings", (_, _) => new UpdateReviewSettingsRequest
            {
                Settings = new ReviewSettings
                {
                    CountyCode = Seed.County, MinDistanceToOutletMeters = 30, MinDistanceToSchoolMeters = 50, QuotaRadiusMeters = 300,
                    QuotaMaxOutlets = 6, GridCellMeters = 500, QuotaPerCellPerQuarter = 3, PromisedDecisionDays = 15,
                },
            }, []),

        // Certificate: the public verifies; holder and county officers see; lifecycle steps by their roles.
        new(Certificate + "GetCertificate", (s, _) => new GetCertificateRequest { LicenceNumber = s.LicenceNumber }, HolderOrCountyOfficers),
        new(Certificate + "Verify", (s, _) => new VerifyRequest { LicenceNumber = s.LicenceNumber }, Everyone),
        new(Certificate + "GetStatusList", (_, _) => new GetStatusListRequest { CountyCode = Seed.County }, Everyone),
        new(Certificate + "GetSigningKeys", (_, _) => new GetSigningKeysRequest(), Everyone),
        new(Certificate + "GetLicenceDocument", (s, _) => new GetLicenceDocumentRequest { LicenceNumber = s.LicenceNumber }, HolderOrCountyOfficers),
        new(Certificate + "GetLicenceHistory", (s, _) => new GetLicenceHistoryRequest { LicenceNumber = s.LicenceNumber }, HolderOrCountyOfficers),
        new(Certificate + "SearchLicences", (s, _) => new SearchLicencesRequest { Query = s.LicenceNumber, Limit = 5 }, AnyOfficer)
            { Except = OwnCountyFromToken },
        // Whether an identifier names the holder: asked at submit for the signed-in applicant, or by the county's officers.
        new(Certificate + "CheckHolder", (s, _) => new CheckHolderRequest
            {
                LicenceNumber = s.LicenceNumber, IdNumber = Permits.Testing.SampleApplications.Individual().IdNumber,
            }, [Owner, OtherShopkeeper, .. AnyOfficer]),
        // Formal documents: the application's owner and its county's officers read them; the counter or the head records service.
        new(Certificate + "ListDocuments", (s, _) => new ListDocumentsRequest { ApplicationId = s.Delivered.ApplicationId }, HolderOrCountyOfficers),
        new(Certificate + "GetDocument", (s, _) => new GetDocumentRequest { DocumentNumber = s.Delivered.History.Last(h => h.DocumentNumber.Length > 0).DocumentNumber }, HolderOrCountyOfficers),
        new(Certificate + "RecordService", (s, _) => new RecordServiceRequest
            {
                DocumentNumber = s.Delivered.History.Last(h => h.DocumentNumber.Length > 0).DocumentNumber, Method = DocumentServiceMethod.Hall,
                Recipient = "王建国", ServedAt = Google.Protobuf.WellKnownTypes.Timestamp.FromDateTime(DateTime.UtcNow),
            }, [Clerk, Head]),
        new(Certificate + "ChangeCertificate", (s, _) => new ChangeCertificateRequest
            {
                LicenceNumber = s.LicenceNumber, Reason = "门牌号调整", PremisesAddress = "浙江省嘉兴市海盐县武原街道向阳路 20 号",
            }, [Head]),
        new(Certificate + "RenewCertificate", (s, _) => new RenewCertificateRequest { LicenceNumber = s.LicenceNumber, ValidTo = ChinaToday(4 * 365) }, [Head]),
        new(Certificate + "SuspendCertificate", (s, _) => new SuspendCertificateRequest { LicenceNumber = s.LicenceNumber, Reason = "装修停业" }, [Clerk, Head]),
        new(Certificate + "ResumeCertificate", (s, _) => new ResumeCertificateRequest { LicenceNumber = s.LicenceNumber }, [Clerk, Head]),
        new(Certificate + "ReissueCertificate", (s, _) => new ReissueCertificateRequest { LicenceNumber = s.LicenceNumber, Reason = "遗失补办" }, [Clerk, Head]),
        // The register's import and export are the county's 系统管理员's (system-admin), a role none of these callers holds.
        new(Certificate + "ImportLicences", (_, _) => new ImportLicencesRequest { FileName = "登记簿.csv", Content = ByteString.CopyFromUtf8("许可证号\r\n") }, []),
        new(Certificate + "ExportLicences", (_, _) => new ExportLicencesRequest { Format = "csv" }, []),
        new(Certificate + "RevokeCertificate", (s, _) => new RevokeCertificateRequest
            {
                LicenceNumber = s.LicenceNumber, Kind = RevocationKind.Closed, Reason = "歇业",
            }, [Head]),

        // Identity: who an officer is, for the officers of their own county only.
        new(Officers + "GetOfficer", (s, _) => new GetOfficerRequest { OfficerId = s.SecondInspector }, AnyOfficer)
            { Except = new Dictionary<Caller, Expect> { [OtherCountyOfficer] = Expect.NotFound } },
        new(Officers + "ListOfficers", (_, _) => new ListOfficersRequest { CountyCode = Seed.County }, AnyOfficer),
        // Officer accounts are the county's 系统管理员's (system-admin), a role none of these callers holds.
        new(Accounts + "ListOfficerAccounts", (_, _) => new ListOfficerAccountsRequest { CountyCode = Seed.County }, []),
        new(Accounts + "ListOfficerAccountChanges", (_, _) => new ListOfficerAccountsRequest { CountyCode = Seed.County }, []),
        new(Accounts + "CreateOfficerAccount", (_, _) => new CreateOfficerAccountRequest
            {
                Username = "hy-clerk-matrix", DisplayName = "受理员", CountyCode = Seed.County, Roles = { "clerk" },
            }, []),
        new(Accounts + "SetOfficerRoles", (_, _) => new SetOfficerRolesRequest { Username = "hy-clerk", Roles = { "head" } }, []),
        new(Accounts + "DeactivateOfficerAccount", (_, _) => new OfficerAccountRequest { Username = "hy-clerk" }, []),
        new(Accounts + "ReactivateOfficerAccount", (_, _) => new OfficerAccountRequest { Username = "hy-clerk" }, []),
        new(Accounts + "ResetOfficerPassword", (_, _) => new OfficerAccountRequest { Username = "hy-clerk" }, []),

        // Delivery: anyone may ask after a shipment (cut to what they may see); the hall's officers hand over.
        new(Delivery + "GetShipment", (s, _) => new GetShipmentRequest { ApplicationId = s.Delivered.ApplicationId }, Everyone),
        new(Delivery + "GetCountyShipment", (s, _) => new GetShipmentRequest { ApplicationId = s.Delivered.ApplicationId }, ReviewRoles),
        new(Delivery + "ListShipments", (_, _) => new ListShipmentsRequest { PageSize = 10 }, ReviewRoles) { Except = OwnCountyFromToken },
        new(Delivery + "ConfirmPickup", (s, _) => new ConfirmPickupRequest
            {
                ApplicationId = s.Delivered.ApplicationId, PickupCode = "000000", CollectedBy = "王建国",
            }, ReviewRoles),
        new(Delivery + "ResolveFailedDelivery", (s, _) => new ResolveFailedDeliveryRequest
            {
                ApplicationId = s.Delivered.ApplicationId, Resolution = FailedDeliveryResolution.SwitchToPickup,
            }, ReviewRoles),
        // The county's hall details are its 系统管理员's (system-admin), a role none of these callers holds.
        new(Delivery + "GetHall", (_, _) => new GetHallRequest { CountyCode = Seed.County }, Everyone),
        new(Delivery + "GetHallSettings", (_, _) => new GetHallSettingsRequest { CountyCode = Seed.County }, []),
        new(Delivery + "UpdateHallSettings", (_, _) => new UpdateHallSettingsRequest
            {
                Settings = new HallSettings { CountyCode = Seed.County, Address = "浙江省嘉兴市海盐县武原街道政务服务中心", OpeningHours = "工作日 8:30—17:00", Phone = "0573-86012345" },
            }, []),

        // Notifications: what was sent about a case, for the reviewing officers of its county.
        new(Messages + "ListMessages", (s, _) => new ListMessagesRequest { ApplicationId = s.Delivered.ApplicationId }, ReviewRoles),
        new(Messages + "GetClerkNotice", (_, _) => new GetClerkNoticeRequest(), [Clerk, Head]) { Except = OwnCountyFromToken },

        // Disclosure: the public log and register; the feed for platforms of the province; the reports and the desk
        // for the county's 政务公开 clerk; information requests by anyone, followed with the query code.
        new(Log + "ListRecords", (_, _) => new ListRecordsRequest { CountyCode = Seed.County, PageSize = 10 }, Everyone),
        new(Log + "VerifyChain", (_, _) => new VerifyChainRequest(), Everyone),
        new(Log + "ListRegister", (_, _) => new ListRegisterRequest { CountyCode = Seed.County, PageSize = 10 }, Everyone),
        new(Log + "ListLatePublications", (_, _) => new ListLatePublicationsRequest { CountyCode = Seed.County, PageSize = 10 }, Everyone),
        new(OpenData + "ListChanges", (_, _) => new ListRecordsRequest { CountyCode = Seed.County, PageSize = 10 }, [PlatformOfProvince]),
        new(OpenData + "ExportRecords", (_, _) => new ExportRecordsRequest
            {
                CountyCode = Seed.County, FromDate = ChinaToday(-30), ToDate = ChinaToday(),
            }, [PlatformOfProvince]),
        // 办件进度 for the provincial 政务服务 platform; the public asks Intake (GetApplication).
        new(OpenData + "GetApplicationProgress", (s, _) => new GetApplicationProgressRequest { ApplicationNumber = s.Pending.ApplicationNumber },
            [PlatformOfProvince]) { Except = new Dictionary<Caller, Expect> { [PlatformOfOtherProvince] = Expect.NotFound } },
        new(Reports + "ListPublishedReports", (_, _) => new ListPublishedReportsRequest { CountyCode = Seed.County }, Everyone),
        new(Reports + "GetPublishedReport", (_, _) => new GetPublishedReportRequest { CountyCode = Seed.County, Year = Seed.ReportYear }, Everyone),
        new(Reports + "RenderPublishedReport", (_, _) => new RenderPublishedReportRequest
            {
                CountyCode = Seed.County, Year = Seed.ReportYear, Format = "html",
            }, Everyone),
        new(Reports + "CheckReport", (_, _) => new AnnualReport { CountyCode = Seed.County, Year = Seed.ReportYear, Title = "年度报告" }, Everyone),
        new(Reports + "GetDraft", (_, _) => new ReportDraftRequest { CountyCode = Seed.County, Year = Seed.ReportYear }, [DisclosureClerk]),
        new(Reports + "SaveDraft", (_, _) => new ReportSaveDraftRequest
            {
                CountyCode = Seed.County, Year = Seed.ReportYear, Overview = "本年度信息公开工作概述",
            }, [DisclosureClerk]),
        new(Reports + "PublishReport", (_, _) => new PublishReportRequest
            {
                CountyCode = Seed.County, Year = Seed.ReportYear, DraftHash = new string('0', 64),
            }, [DisclosureClerk]),
        new(Requests + "FileRequest", (_, _) => Seed.InformationRequestSample(), Everyone),
        new(Requests + "FollowRequest", (s, _) => new FollowInformationRequest
            {
                RequestNumber = s.InformationRequest.RequestNumber, QueryCode = s.InformationRequest.QueryCode,
            }, Everyone),
        new(Requests + "SubmitCorrection", (s, _) => new SubmitInformationCorrection
            {
                RequestNumber = s.InformationRequest.RequestNumber, QueryCode = s.InformationRequest.QueryCode, Description = "补正后的申请内容",
            }, Everyone),
        new(Desk + "ListQueue", (_, _) => new ListInformationRequestsRequest { PageSize = 10 }, [DisclosureClerk]) { Except = OwnCountyFromToken },
        new(Desk + "GetYearFigures", (_, _) => new GetInformationRequestFiguresRequest { Year = Seed.ReportYear }, [DisclosureClerk])
            { Except = OwnCountyFromToken },
        new(Desk + "GetRequest", (s, _) => new GetInformationRequestRequest { RequestNumber = s.InformationRequest.RequestNumber }, [DisclosureClerk]),
        new(Desk + "RequestCorrection", (s, _) => new RequestInformationCorrection
            {
                RequestNumber = s.InformationRequest.RequestNumber, Notice = "请说明所需信息的年份", CorrectionWorkingDays = 10,
            }, [DisclosureClerk]),
        new(Desk + "StartConsultation", (s, _) => new StartThirdPartyConsultation
            {
                RequestNumber = s.InformationRequest.RequestNumber, ThirdParty = "某零售户",
            }, [DisclosureClerk]),
        new(Desk + "EndConsultation", (s, _) => new EndThirdPartyConsultation { RequestNumber = s.InformationRequest.RequestNumber, Note = "第三方已答复" },
            [DisclosureClerk]),
        new(Desk + "Extend", (s, _) => new ExtendInformationRequest
            {
                RequestNumber = s.InformationRequest.RequestNumber, ApprovedBy = "局长", Reason = "需调取档案",
            }, [DisclosureClerk]),
        new(Desk + "Answer", (s, _) => new AnswerInformationRequest
            {
                RequestNumber = s.InformationRequest.RequestNumber, Outcome = "Disclosed", Reason = "予以公开",
            }, [DisclosureClerk]),
        new(Desk + "CloseOverdueCorrection", (s, _) => new CloseOverdueCorrectionRequest
            {
                RequestNumber = s.InformationRequest.RequestNumber, Note = "逾期未补正",
            }, [DisclosureClerk]),
        new(Desk + "RecordAppeal", (s, _) => new RecordInformationAppeal
            {
                RequestNumber = s.InformationRequest.RequestNumber, Kind = "Reconsideration", FiledOn = ChinaToday(),
            }, [DisclosureClerk]),
        new(Desk + "RecordAppealOutcome", (s, _) => new RecordInformationAppealOutcome
            {
                RequestNumber = s.InformationRequest.RequestNumber, AppealId = Guid.Empty.ToString(), Result = "Upheld", ConcludedOn = ChinaToday(),
            }, [DisclosureClerk]),
    ];

    /// <summary>An action on the seeded case; who acts is the token, never the request.</summary>
    private static CaseActionRequest Act(Seed seed) => new() { CaseId = seed.CaseId };

    private static string ChinaToday(int days = 0) =>
        DateTime.UtcNow.AddHours(8).AddDays(days).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
}

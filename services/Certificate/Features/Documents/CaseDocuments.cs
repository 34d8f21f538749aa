using Permits.Certificate.Documents;
using Permits.Contracts.Delivery;
using Permits.Contracts.Documents;
using Permits.Contracts.Review;
using Permits.Shared.Data;
using Permits.Shared.Domain;

namespace Permits.Certificate.Features.Documents;

/// <summary>
/// The formal documents a case's steps issue, each from the event of the step that issued it (inside the consumer's
/// inbox transaction, so once per event): 补正材料告知书, 受理通知书, 不予受理决定书, 实地核查记录, 审核意见 (with the
/// 听证权利告知书 when it proposes refusal, see <see cref="DocumentTexts.ProposesRefusal"/>), 延长审批期限告知书,
/// 准予 and 不予行政许可决定书; and the service of an approval by the licence's delivery. Each names the county's
/// hall as in force when it is issued (<see cref="CountyHalls"/>).
/// </summary>
public sealed partial class CaseDocuments(CountyDirectory counties, IssueDocument issue, ServeDocument serve, ILogger<CaseDocuments> logger)
{
    public Task IssueAsync(DbSession session, CorrectionRequested message) =>
        IssueAsync(session, message.ApplicationId, message.CaseId, message.CountyCode, message.RequestedAt, message.DocumentNumber,
            (applicant, county) => DocumentTexts.Correction(message, applicant, county));

    public Task IssueAsync(DbSession session, ApplicationAccepted message) =>
        IssueAsync(session, message.ApplicationId, message.CaseId, message.CountyCode, message.AcceptedAt, message.DocumentNumber,
            (applicant, county) => DocumentTexts.Acceptance(message, applicant, county));

    public Task IssueAsync(DbSession session, ApplicationNotAccepted message) =>
        IssueAsync(session, message.ApplicationId, message.CaseId, message.CountyCode, message.DecidedAt, message.DocumentNumber,
            (applicant, county) => DocumentTexts.NotAccepted(message, applicant, county));

    public Task IssueAsync(DbSession session, SiteInspected message) =>
        IssueAsync(session, message.ApplicationId, message.CaseId, message.CountyCode, message.RecordedAt, message.DocumentNumber,
            (applicant, county) => DocumentTexts.Inspection(message, applicant, county));

    public async Task IssueAsync(DbSession session, ReviewOpinionRecorded message)
    {
        await IssueAsync(session, message.ApplicationId, message.CaseId, message.CountyCode, message.RecordedAt, message.DocumentNumber,
            (applicant, county) => DocumentTexts.Opinion(message, applicant, county));
        if (DocumentTexts.ProposesRefusal(message))
        {
            var county = counties.Get(message.CountyCode);
            var number = await DocumentRecords.NextNumberAsync(
                session, county, DocumentRecords.HearingNoticeSeries, ChinaTime.DateOf(message.RecordedAt));
            await IssueAsync(session, message.ApplicationId, message.CaseId, message.CountyCode, message.RecordedAt, number,
                (applicant, c) => DocumentTexts.HearingNotice(message, number, applicant, c));
        }
    }

    public Task IssueAsync(DbSession session, DecisionPeriodExtended message) =>
        IssueAsync(session, message.ApplicationId, message.CaseId, message.CountyCode, message.ExtendedAt, message.DocumentNumber,
            (applicant, county) => DocumentTexts.Extension(message, applicant, county));

    public Task IssueAsync(DbSession session, LicenceApproved message) =>
        IssueAsync(session, message.ApplicationId, message.CaseId, message.CountyCode, message.ApprovedAt, message.DocumentNumber,
            (applicant, county) => DocumentTexts.Approval(message, applicant, county));

    public Task IssueAsync(DbSession session, LicenceDenied message) =>
        IssueAsync(session, message.ApplicationId, message.CaseId, message.CountyCode, message.DeniedAt, message.DocumentNumber,
            (applicant, county) => DocumentTexts.Denial(message, applicant, county));

    /// <summary>
    /// A licence's delivery serves its 准予行政许可决定书: collected at the hall (the applicant chose pickup, or a failed
    /// courier delivery was returned there) is 直接送达, otherwise 邮寄送达; the signer is the recipient.
    /// </summary>
    public async Task ServeAsync(DbSession session, ShipmentDelivered message)
    {
        var approval = await session.QuerySingleOrDefaultAsync<DocumentRow>(
            DocumentRecords.DecisionSql, new { message.ApplicationId, Kind = OfficialDocuments.Approval });
        if (approval is null)
        {
            LogNoApproval(logger, message.ApplicationId);
            return;
        }

        var (applicant, county, _) = await DocumentFacts.LoadAsync(session, message.ApplicationId, counties.Get(approval.CountyCode), null);
        var atHall = applicant.DeliveryMethod == nameof(Permits.Contracts.DeliveryMethod.Pickup);
        await serve.HandleAsync(
            session, approval, atHall ? ServiceMethod.Hall : ServiceMethod.Post, message.DeliveredAt, message.SignedBy, null,
            atHall ? $"{county.Authority}服务窗口" : $"快递（运单号 {message.WaybillNumber}）",
            atHall ? county.ServiceHallAddress : "申请人指定的收件地址");
    }

    /// <param name="number">The number <paramref name="content"/> gives the document: when it is on record, nothing is rendered.</param>
    private async Task IssueAsync(
        DbSession session, Guid applicationId, Guid caseId, string countyCode, DateTimeOffset at, string number,
        Func<ApplicantFacts, County, OfficialDocumentContent> content)
    {
        var (applicant, county, issued) = await DocumentFacts.LoadAsync(session, applicationId, counties.Get(countyCode), number);
        if (!issued)
        {
            await issue.IssueNewAsync(session, applicationId, caseId, countyCode, at, content(applicant, county));
        }
    }

    [LoggerMessage(LogLevel.Warning, "Application {ApplicationId}'s licence was delivered but no 准予行政许可决定书 is on record here: its service is not recorded")]
    private static partial void LogNoApproval(ILogger logger, Guid applicationId);
}

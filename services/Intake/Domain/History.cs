using Dapper;
using Permits.Shared.Data;

namespace Permits.Intake.Domain;

/// <summary>The applicant's status history: one row per step, never edited; a step may carry the document it issued.</summary>
public static class History
{
    private const string InsertSql = """
        INSERT INTO application_history (id, application_id, status, at, note, document_title, document_number)
        VALUES (@Id, @ApplicationId, @Status, @At, @Note, @DocumentTitle, @DocumentNumber)
        """;

    /// <summary>
    /// The same row, written only if the application is known here: one statement, no read before it. Also the tail of
    /// a PostgreSQL statement that changes the application in a CTE before it (<see cref="Parameters"/>): the CTE's
    /// change and this row are then one statement, the row written exactly when the application is known.
    /// </summary>
    public const string InsertIfKnownSql = """
        INSERT INTO application_history (id, application_id, status, at, note, document_title, document_number)
        SELECT @Id, @ApplicationId, @Status, @At, @Note, @DocumentTitle, @DocumentNumber FROM applications WHERE id = @ApplicationId
        """;

    public static Task AddAsync(
        DbSession session, Guid applicationId, string status, DateTimeOffset at, string note, IssuedDocument? document = null) =>
        session.ExecuteAsync(InsertSql, Row(applicationId, status, at, note, document));

    /// <summary>Adds the step if Intake knows the application; false (nothing written) if it does not.</summary>
    public static async Task<bool> AddIfKnownAsync(
        DbSession session, Guid applicationId, string status, DateTimeOffset at, string note, IssuedDocument? document = null) =>
        await session.ExecuteAsync(InsertIfKnownSql, Row(applicationId, status, at, note, document)) == 1;

    /// <summary>
    /// The row's parameters (<c>@Id</c> is the row's, <c>@ApplicationId</c> the application's) with those of a change
    /// written in the same statement or the one before it (<paramref name="values"/>, named apart from these).
    /// </summary>
    public static DynamicParameters Parameters(HistoryStep step, params object[] values)
    {
        var parameters = new DynamicParameters(Row(step.ApplicationId, step.Status, step.At, step.Note, step.Document));
        foreach (var value in values)
        {
            parameters.AddDynamicParams(value);
        }

        return parameters;
    }

    private static object Row(Guid applicationId, string status, DateTimeOffset at, string note, IssuedDocument? document) =>
        new
        {
            Id = Guid.NewGuid(),
            ApplicationId = applicationId,
            Status = status,
            At = at,
            Note = note,
            DocumentTitle = document?.Title,
            DocumentNumber = document?.Number is { } number && number.Length > 60 ? number[..60] : document?.Number,
        };

    /// <summary>What a failed delivery says when the courier gave no reason.</summary>
    public const string DeliveryFailedPublicNote = "快递投递未成功，将重新投递或改为窗口领取";
}

/// <summary>A step in an application's history: the status it names, when, the note and the document it issued, if any.</summary>
public sealed record HistoryStep(Guid ApplicationId, string Status, DateTimeOffset At, string Note, IssuedDocument? Document = null);

/// <summary>A written document the bureau issued to the applicant (受理通知书, 补正材料告知书, 决定书 …) and its number (文号).</summary>
public sealed record IssuedDocument(string Title, string Number)
{
    public const string Acceptance = "受理通知书";
    public const string Correction = "补正材料告知书";
    public const string NotAccepted = "不予受理决定书";
    public const string Extension = "延长审批期限告知书";
    public const string Approval = "准予行政许可决定书";
    public const string Denial = "不予行政许可决定书";
}

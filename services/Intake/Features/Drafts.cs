using Dapper;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Permits.Contracts.Intake.V1;
using Permits.Shared.Data;
using Permits.Shared.Domain;

namespace Permits.Intake.Features;

/// <summary>
/// Drafts (草稿): the unfinished form saved as typed, nothing validated but its size, so the applicant can come back
/// later. Each draft belongs to one applicant; another's draft is NOT_FOUND. Submitting with its draft_id removes it.
/// </summary>
public sealed class Drafts(ServiceDatabase<IntakeModule> database, TimeProvider time)
{
    private const string InsertSql = """
        INSERT INTO application_drafts (id, owner_subject, form_json, created_at, updated_at)
        VALUES (@Id, @Owner, @FormJson, @At, @At)
        """;

    private const string UpdateSql = """
        UPDATE application_drafts SET form_json = @FormJson, updated_at = @At WHERE id = @Id AND owner_subject = @Owner
        """;

    private const string ByIdSql = """
        SELECT id AS Id, form_json AS FormJson, updated_at AS UpdatedAt FROM application_drafts
        WHERE id = @Id AND owner_subject = @Owner
        """;

    /// <summary>The applicant's drafts, newest first (<see cref="ReadAsync"/> maps them).</summary>
    internal const string ByOwnerSql = """
        SELECT id AS Id, form_json AS FormJson, updated_at AS UpdatedAt FROM application_drafts
        WHERE owner_subject = @Owner ORDER BY updated_at DESC
        """;

    /// <summary>At most this many drafts per applicant, so a loop of saves cannot fill the database.</summary>
    public const int MaxDraftsPerApplicant = 20;

    private const string CountSql = "SELECT COUNT(*) FROM application_drafts WHERE owner_subject = @Owner";

    public async Task<Draft> SaveAsync(SaveDraftRequest request, string owner, CancellationToken cancellationToken)
    {
        var form = request.Form ?? new SubmitApplicationRequest();
        var json = FormJson.Write(form);
        if (json.Length > FormJson.MaxLength)
        {
            new FieldErrors().Add("form", "草稿内容过长，请删减后再保存").ThrowIfAny();
        }

        var now = time.GetUtcNow();
        await using var session = await database.BeginAsync(cancellationToken);
        Guid id;
        if (request.DraftId.Length > 0)
        {
            if (!Guid.TryParse(request.DraftId, out id)
                || await session.ExecuteAsync(UpdateSql, new { Id = id, Owner = owner, FormJson = json, At = now }) == 0)
            {
                throw new RpcException(new Status(StatusCode.NotFound, "未找到该草稿"));
            }
        }
        else
        {
            if (await session.ExecuteScalarAsync<long>(CountSql, new { Owner = owner }) >= MaxDraftsPerApplicant)
            {
                throw new RpcException(new Status(StatusCode.FailedPrecondition,
                    $"草稿已有 {MaxDraftsPerApplicant} 份，请先提交或删除旧草稿"));
            }

            id = Guid.NewGuid();
            await session.ExecuteAsync(InsertSql, new { Id = id, Owner = owner, FormJson = json, At = now });
        }

        await session.CommitAsync(cancellationToken);
        var saved = FormJson.Read(json);
        saved.DraftId = id.ToString();
        return new Draft { DraftId = id.ToString(), Form = saved, UpdatedAt = Timestamp.FromDateTimeOffset(now) };
    }

    public async Task<Draft> GetAsync(GetDraftRequest request, string owner, CancellationToken cancellationToken)
    {
        if (!Guid.TryParse(request.DraftId, out var id))
        {
            throw new RpcException(new Status(StatusCode.NotFound, "未找到该草稿"));
        }

        await using var connection = await database.OpenAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<DraftRow>(ByIdSql, new { Id = id, Owner = owner })
                  ?? throw new RpcException(new Status(StatusCode.NotFound, "未找到该草稿"));
        var draft = ToDraft(row);
        draft.Materials.AddRange(await Materials.OfDraftAsync(connection, row.Id));
        return draft;
    }

    // Materials already carried to an application keep their application_id and stay.
    private const string DeleteMaterialsSql = """
        DELETE FROM application_materials WHERE draft_id = @Id AND owner_subject = @Owner AND application_id IS NULL
        """;

    private const string DeleteSql = "DELETE FROM application_drafts WHERE id = @Id AND owner_subject = @Owner";

    /// <summary>Deletes the owner's draft with its own materials; another's draft, or none, is NOT_FOUND.</summary>
    public async Task<DeleteDraftResponse> DeleteAsync(DeleteDraftRequest request, string owner, CancellationToken cancellationToken)
    {
        if (!Guid.TryParse(request.DraftId, out var id))
        {
            throw new RpcException(new Status(StatusCode.NotFound, "未找到该草稿"));
        }

        await using var session = await database.BeginAsync(cancellationToken);
        await session.ExecuteAsync(DeleteMaterialsSql, new { Id = id, Owner = owner });
        if (await session.ExecuteAsync(DeleteSql, new { Id = id, Owner = owner }) == 0)
        {
            throw new RpcException(new Status(StatusCode.NotFound, "未找到该草稿"));
        }

        await session.CommitAsync(cancellationToken);
        return new DeleteDraftResponse { DraftId = id.ToString() };
    }

    /// <summary>The next result of a batch that ran <see cref="ByOwnerSql"/>.</summary>
    internal static async Task<IEnumerable<Draft>> ReadAsync(SqlMapper.GridReader grid) =>
        (await grid.ReadAsync<DraftRow>()).Select(ToDraft);

    private static Draft ToDraft(DraftRow row)
    {
        var form = FormJson.Read(row.FormJson);
        form.DraftId = row.Id.ToString();
        return new Draft { DraftId = row.Id.ToString(), Form = form, UpdatedAt = Timestamp.FromDateTimeOffset(row.UpdatedAt) };
    }

    private sealed class DraftRow
    {
        public Guid Id { get; init; }
        public string FormJson { get; init; } = "";
        public DateTimeOffset UpdatedAt { get; init; }
    }
}

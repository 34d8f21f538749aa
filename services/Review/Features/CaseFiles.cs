using System.Text.Json;
using Dapper;
using Google.Protobuf.WellKnownTypes;
using Permits.Contracts.Review.V1;
using Permits.Review.Domain;
using Permits.Shared.Data;
using Permits.Shared.Domain;
using Permits.Review.Workers;
using Permits.Shared.Steps;
using MeasuredDistanceEvent = Permits.Contracts.Review.MeasuredDistance;

namespace Permits.Review.Features;

/// <summary>
/// The case file an officer decides on: the case, the inspection with both inspectors' names, the layout check last
/// recorded, the opinion, every 补正 notice with its items and when it was answered, the history from the officer
/// audit (steps done, oldest first), and what still blocks approval (<see cref="DecisionGate"/>). Guarded like
/// GetCase (<see cref="ReviewSteps.ViewCase"/>, a refusal audited).
/// </summary>
public sealed class CaseFiles(
    ServiceDatabase<ReviewModule> database, CaseQueries queries, CaseView view, DecisionGate gate, OfficerAudit<ReviewModule> audit)
{
    /// <summary>The history entry of a 变更 filed more than 30 days after the change.</summary>
    public const string LateChange = "LateChange";

    private const string InspectionSql = """
        SELECT document_number AS DocumentNumber, inspected_on AS InspectedOn, first_inspector AS FirstInspector,
            first_inspector_name AS FirstInspectorName, second_inspector AS SecondInspector,
            second_inspector_name AS SecondInspectorName, findings AS Findings, measured_floor_area AS MeasuredFloorArea,
            distances AS Distances, photo_references AS PhotoReferences, premises_compliant AS PremisesCompliant,
            latitude AS Latitude, longitude AS Longitude, recorded_at AS RecordedAt
        FROM review_inspections WHERE case_id = @CaseId ORDER BY recorded_at DESC
        """;

    private const string OpinionSql = """
        SELECT document_number AS DocumentNumber, reviewer AS Reviewer, reviewer_name AS ReviewerName,
            recommendation AS Recommendation, opinion AS Opinion, recorded_at AS RecordedAt
        FROM review_opinions WHERE case_id = @CaseId ORDER BY recorded_at DESC
        """;

    private const string CorrectionItemsSql = """
        SELECT document_number AS DocumentNumber, position AS Position, material AS Material, reason AS Reason
        FROM review_correction_items WHERE case_id = @CaseId ORDER BY document_number, position
        """;

    private const string CorrectionNoticesSql = """
        SELECT document_number AS DocumentNumber, requested_at AS RequestedAt, requested_by AS RequestedBy,
            requested_by_name AS RequestedByName, resubmitted_at AS ResubmittedAt
        FROM review_correction_notices WHERE case_id = @CaseId
        """;

    public async Task<CaseFile> GetAsync(GetCaseRequest request, Officer officer, CancellationToken cancellationToken)
    {
        var row = await queries.LoadAsync(request, officer, cancellationToken);
        var file = new CaseFile { Case = view.ToMessage(row) };
        var parameters = new { CaseId = row.Id };
        await using (var connection = await database.OpenAsync(cancellationToken))
        {
            if ((await connection.QueryAsync<InspectionRow>(InspectionSql, parameters)).FirstOrDefault() is { } inspection)
            {
                file.Inspection = ToMessage(inspection);
            }

            if (await SiteLayout.LatestAsync(connection, row.Id) is { } layout)
            {
                file.Layout = layout;
            }

            if ((await connection.QueryAsync<OpinionRow>(OpinionSql, parameters)).FirstOrDefault() is { } opinion)
            {
                file.Opinion = new Opinion
                {
                    DocumentNumber = opinion.DocumentNumber,
                    ReviewerId = opinion.Reviewer,
                    ReviewerName = opinion.ReviewerName ?? "",
                    Recommendation = opinion.Recommendation,
                    Opinion_ = opinion.Opinion,
                    RecordedAt = Timestamp.FromDateTimeOffset(opinion.RecordedAt),
                };
            }

            var notices = (await connection.QueryAsync<NoticeRow>(CorrectionNoticesSql, parameters)).ToDictionary(n => n.DocumentNumber);
            foreach (var items in (await connection.QueryAsync<ItemRow>(CorrectionItemsSql, parameters)).GroupBy(i => i.DocumentNumber))
            {
                var notice = new CorrectionNotice { DocumentNumber = items.Key };
                notice.Items.AddRange(items.Select(i => new CorrectionItem { Material = i.Material, Reason = i.Reason }));
                if (notices.TryGetValue(items.Key, out var known))
                {
                    notice.RequestedAt = Timestamp.FromDateTimeOffset(known.RequestedAt);
                    notice.RequestedBy = known.RequestedByName.Length > 0 ? $"{known.RequestedByName}（{known.RequestedBy}）" : known.RequestedBy;
                    if (known.ResubmittedAt is { } resubmitted)
                    {
                        notice.ResubmittedAt = Timestamp.FromDateTimeOffset(resubmitted);
                    }
                }

                file.Corrections.Add(notice);
            }

            if (row.Stage == CaseStage.UnderReview)
            {
                var verdict = await gate.EvaluateAsync(connection, null, row);
                file.DecisionBlockers.AddRange(verdict.Blockers);
                file.BlockersOverridable = verdict.OnlyOverridable;
            }
            else if (CaseStage.IsOpen(row.Stage))
            {
                file.DecisionBlockers.Add($"案件当前环节为“{file.Case.StepLabel}”，尚未进入审批");
            }
        }

        if (row.FiledLate != 0)
        {
            // Not an officer's step: the fact the application arrived with, first in its history.
            file.History.Add(new HistoryEntry
            {
                At = Timestamp.FromDateTimeOffset(row.ReceivedAt),
                OfficerId = DeadlineWatcher.SystemOfficer,
                Role = DeadlineWatcher.SystemOfficer,
                Action = LateChange,
                ActionLabel = "逾期申请变更",
                Detail = $"变更发生于 {ChinaTime.Text(row.ChangedOn)}，超过 30 日后才申请变更；申请照常受理审查",
            });
        }

        var labels = ReviewSteps.All.ToDictionary(s => s.Code, s => s.Label);
        foreach (var entry in (await audit.TrailAsync(row.Id.ToString(), cancellationToken)).Where(e => e.Outcome == OfficerAudit<ReviewModule>.Done))
        {
            file.History.Add(new HistoryEntry
            {
                At = Timestamp.FromDateTimeOffset(entry.OccurredAt),
                OfficerId = entry.OfficerId,
                OfficerName = entry.OfficerName,
                Role = entry.OfficerRole,
                Action = entry.Action,
                ActionLabel = labels.GetValueOrDefault(entry.Action, entry.Action),
                Detail = entry.Detail,
            });
        }

        return file;
    }

    private static Inspection ToMessage(InspectionRow row)
    {
        var message = new Inspection
        {
            DocumentNumber = row.DocumentNumber,
            InspectedOn = ChinaTime.Text(row.InspectedOn),
            FirstInspectorId = row.FirstInspector,
            FirstInspectorName = row.FirstInspectorName ?? "",
            SecondInspectorId = row.SecondInspector,
            SecondInspectorName = row.SecondInspectorName ?? "",
            Findings = row.Findings,
            MeasuredFloorArea = (double)row.MeasuredFloorArea,
            PremisesCompliant = row.PremisesCompliant != 0,
            Latitude = row.Latitude ?? 0,
            Longitude = row.Longitude ?? 0,
            RecordedAt = Timestamp.FromDateTimeOffset(row.RecordedAt),
        };
        message.Distances.AddRange((JsonSerializer.Deserialize<List<MeasuredDistanceEvent>>(row.Distances) ?? [])
            .Select(d => new MeasuredDistance { Target = d.Target, Meters = (double)d.Meters }));
        message.PhotoReferences.AddRange(JsonSerializer.Deserialize<List<string>>(row.PhotoReferences) ?? []);
        return message;
    }

    private sealed class InspectionRow
    {
        public string DocumentNumber { get; init; } = "";
        public DateOnly InspectedOn { get; init; }
        public string FirstInspector { get; init; } = "";
        public string? FirstInspectorName { get; init; }
        public string SecondInspector { get; init; } = "";
        public string? SecondInspectorName { get; init; }
        public string Findings { get; init; } = "";
        public decimal MeasuredFloorArea { get; init; }
        public string Distances { get; init; } = "[]";
        public string PhotoReferences { get; init; } = "[]";
        public long PremisesCompliant { get; init; }
        public double? Latitude { get; init; }
        public double? Longitude { get; init; }
        public DateTimeOffset RecordedAt { get; init; }
    }

    private sealed class OpinionRow
    {
        public string DocumentNumber { get; init; } = "";
        public string Reviewer { get; init; } = "";
        public string? ReviewerName { get; init; }
        public string Recommendation { get; init; } = "";
        public string Opinion { get; init; } = "";
        public DateTimeOffset RecordedAt { get; init; }
    }

    private sealed class ItemRow
    {
        public string DocumentNumber { get; init; } = "";
        public long Position { get; init; }
        public string Material { get; init; } = "";
        public string Reason { get; init; } = "";
    }

    private sealed class NoticeRow
    {
        public string DocumentNumber { get; init; } = "";
        public DateTimeOffset RequestedAt { get; init; }
        public string RequestedBy { get; init; } = "";
        public string RequestedByName { get; init; } = "";
        public DateTimeOffset? ResubmittedAt { get; init; }
    }
}

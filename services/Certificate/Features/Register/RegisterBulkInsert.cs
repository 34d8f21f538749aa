using System.Globalization;
using System.Text;
using Dapper;
using Npgsql;
using NpgsqlTypes;
using Permits.Shared.Data;
using Permits.Shared.Domain;

namespace Permits.Certificate.Features.Register;

/// <summary>
/// Stores imported licences many at a time, inside the import's transaction: on PostgreSQL by binary COPY (100,000
/// rows in seconds); on SQL Server by multi-row INSERTs through Dapper (100 rows a statement, under its limit of 2,100
/// parameters, to save round trips); on SQLite, which has no round trips, by one prepared INSERT run for every row
/// (Dapper's multi-execution: binding thousands of named parameters to one statement is slower there). Values always
/// travel as parameters or COPY fields, never in the SQL text.
/// </summary>
public static class RegisterBulkInsert
{
    /// <summary>The columns written, the same in both paths.</summary>
    private const string ColumnList = """
        id, application_id, application_number, licence_number, county_code, holder_type, holder_name, credit_code,
        responsible_person, premises_address, scope, valid_from, valid_to, decision_document, issuing_authority, issued_at,
        status, version, elicence_id, duplicate_count, revision, status_reason, status_changed_at, source, import_id,
        holder_id_digest, supplier, longitude, latitude
        """;

    private const string CopySqlPostgres = $"COPY certificates ({ColumnList}) FROM STDIN (FORMAT BINARY)";

    private const string InsertSqlSqlite = $"""
        INSERT INTO certificates ({ColumnList})
        VALUES (@Id, @ApplicationId, '', @LicenceNumber, @County, @HolderType, @HolderName, @CreditCode, @ResponsiblePerson,
            @PremisesAddress, @Scope, @ValidFrom, @ValidTo, '', @Authority, @IssuedAt, @Status, 1, @ElicenceId, 0, 1,
            @StatusReason, @ChangedAt, @Source, @ImportId, @HolderIdDigest, @Supplier, @Longitude, @Latitude)
        """;

    /// <summary>Rows a multi-row INSERT carries on SQL Server (17 parameters each, the rest shared by the batch).</summary>
    internal const int RowsPerStatement = 100;

    public static async Task InsertAsync(DbSession session, IReadOnlyList<ImportedRow> rows, ImportedBatch batch)
    {
        if (session.Connection is NpgsqlConnection npgsql)
        {
            await CopyAsync(npgsql, rows, batch);
            return;
        }

        if (session.Dialect == SqlDialect.Sqlite)
        {
            await session.ExecuteAsync(InsertSqlSqlite, rows.Select(row => new
            {
                row.Id,
                row.ApplicationId,
                row.Entry.LicenceNumber,
                County = batch.CountyCode,
                row.Entry.HolderType,
                row.Entry.HolderName,
                row.Entry.CreditCode,
                row.Entry.ResponsiblePerson,
                row.Entry.PremisesAddress,
                Scope = LicensingDisclosure.RetailScope,
                row.Entry.ValidFrom,
                row.Entry.ValidTo,
                Authority = batch.IssuingAuthority,
                IssuedAt = batch.ImportedAt,
                row.Entry.Status,
                row.ElicenceId,
                row.Entry.StatusReason,
                ChangedAt = row.Entry.StatusReason is null ? (DateTimeOffset?)null : batch.ImportedAt,
                Source = CertificateSources.Imported,
                batch.ImportId,
                row.Entry.HolderIdDigest,
                row.Entry.Supplier,
                row.Entry.Longitude,
                row.Entry.Latitude,
            }));
            return;
        }

        foreach (var chunk in rows.Chunk(RowsPerStatement))
        {
            var (sql, parameters) = Statement(chunk, batch);
            await session.ExecuteAsync(sql, parameters);
        }
    }

    /// <summary>One multi-row INSERT as SQL Server is sent it (internal: its T-SQL is checked by parsing).</summary>
    internal static (string Sql, DynamicParameters Parameters) Statement(ImportedRow[] chunk, ImportedBatch batch)
    {
        var parameters = new DynamicParameters();
        parameters.Add("County", batch.CountyCode);
        parameters.Add("Authority", batch.IssuingAuthority);
        parameters.Add("Scope", LicensingDisclosure.RetailScope);
        parameters.Add("IssuedAt", batch.ImportedAt);
        parameters.Add("ChangedAt", batch.ImportedAt);
        parameters.Add("Source", CertificateSources.Imported);
        parameters.Add("ImportId", batch.ImportId);
        var sql = new StringBuilder($"INSERT INTO certificates ({ColumnList}) VALUES ");
        for (var i = 0; i < chunk.Length; i++)
        {
            var (row, e) = (chunk[i], chunk[i].Entry);
            string P(string name, object? value)
            {
                var parameter = string.Create(CultureInfo.InvariantCulture, $"{name}{i}");
                parameters.Add(parameter, value);
                return "@" + parameter;
            }

            sql.Append(i == 0 ? "" : ",").Append('(')
                .AppendJoin(", ",
                    P("Id", row.Id), P("App", row.ApplicationId), "''", P("Number", e.LicenceNumber), "@County", P("Type", e.HolderType),
                    P("Name", e.HolderName), P("Credit", e.CreditCode), P("Person", e.ResponsiblePerson), P("Address", e.PremisesAddress),
                    "@Scope", P("From", e.ValidFrom), P("To", e.ValidTo), "''", "@Authority", "@IssuedAt", P("Status", e.Status), "1",
                    P("Elicence", row.ElicenceId), "0", "1", P("Reason", e.StatusReason), e.StatusReason is null ? "NULL" : "@ChangedAt",
                    "@Source", "@ImportId", P("Digest", e.HolderIdDigest), P("Supplier", e.Supplier), P("Lon", e.Longitude), P("Lat", e.Latitude))
                .Append(')');
        }

        return (sql.ToString(), parameters);
    }

    private static async Task CopyAsync(NpgsqlConnection connection, IReadOnlyList<ImportedRow> rows, ImportedBatch batch)
    {
        var issuedAt = batch.ImportedAt.UtcDateTime;
        await using var writer = await connection.BeginBinaryImportAsync(CopySqlPostgres);
        foreach (var row in rows)
        {
            var e = row.Entry;
            await writer.StartRowAsync();
            await writer.WriteAsync(row.Id, NpgsqlDbType.Uuid);
            await writer.WriteAsync(row.ApplicationId, NpgsqlDbType.Uuid);
            await writer.WriteAsync("", NpgsqlDbType.Varchar);
            await writer.WriteAsync(e.LicenceNumber, NpgsqlDbType.Varchar);
            await writer.WriteAsync(batch.CountyCode, NpgsqlDbType.Varchar);
            await writer.WriteAsync(e.HolderType, NpgsqlDbType.Varchar);
            await writer.WriteAsync(e.HolderName, NpgsqlDbType.Varchar);
            await WriteNullableAsync(writer, e.CreditCode);
            await writer.WriteAsync(e.ResponsiblePerson, NpgsqlDbType.Varchar);
            await writer.WriteAsync(e.PremisesAddress, NpgsqlDbType.Varchar);
            await writer.WriteAsync(LicensingDisclosure.RetailScope, NpgsqlDbType.Varchar);
            await writer.WriteAsync(e.ValidFrom, NpgsqlDbType.Date);
            await writer.WriteAsync(e.ValidTo, NpgsqlDbType.Date);
            await writer.WriteAsync("", NpgsqlDbType.Varchar);
            await writer.WriteAsync(batch.IssuingAuthority, NpgsqlDbType.Varchar);
            await writer.WriteAsync(issuedAt, NpgsqlDbType.TimestampTz);
            await writer.WriteAsync(e.Status, NpgsqlDbType.Varchar);
            await writer.WriteAsync(1, NpgsqlDbType.Integer);
            await writer.WriteAsync(row.ElicenceId, NpgsqlDbType.Varchar);
            await writer.WriteAsync(0, NpgsqlDbType.Integer);
            await writer.WriteAsync(1, NpgsqlDbType.Integer);
            await WriteNullableAsync(writer, e.StatusReason);
            if (e.StatusReason is null)
            {
                await writer.WriteNullAsync();
            }
            else
            {
                await writer.WriteAsync(issuedAt, NpgsqlDbType.TimestampTz);
            }

            await writer.WriteAsync(CertificateSources.Imported, NpgsqlDbType.Varchar);
            await writer.WriteAsync(batch.ImportId, NpgsqlDbType.Uuid);
            await WriteNullableAsync(writer, e.HolderIdDigest);
            await WriteNullableAsync(writer, e.Supplier);
            await WriteNullableAsync(writer, e.Longitude);
            await WriteNullableAsync(writer, e.Latitude);
        }

        await writer.CompleteAsync();
    }

    private static Task WriteNullableAsync(NpgsqlBinaryImporter writer, string? value) =>
        value is null ? writer.WriteNullAsync() : writer.WriteAsync(value, NpgsqlDbType.Varchar);

    private static Task WriteNullableAsync(NpgsqlBinaryImporter writer, double? value) =>
        value is null ? writer.WriteNullAsync() : writer.WriteAsync(value.Value, NpgsqlDbType.Double);
}

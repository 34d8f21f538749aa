using System.Reflection;
using System.Text.RegularExpressions;
using Microsoft.SqlServer.TransactSql.ScriptDom;
using Permits.Intake.Consumers;

namespace Permits.Shared.Tests;

/// <summary>
/// No SQL Server can run here, so every T-SQL script and query is checked by Microsoft's own parser. Queries are the
/// const strings named *Sql (portable across engines) or *SqlSqlServer (T-SQL only) in every service assembly.
/// </summary>
public sealed partial class When_sql_is_sent_to_sql_server
{
    private static readonly Assembly[] ServiceAssemblies =
    [
        typeof(Permits.Shared.Data.ServiceDatabase<>).Assembly,
        typeof(Permits.Intake.IntakeModule).Assembly,
        typeof(Permits.Review.ReviewModule).Assembly,
        typeof(Permits.Certificate.CertificateModule).Assembly,
        typeof(Permits.Delivery.DeliveryModule).Assembly,
        typeof(Permits.Disclosure.DisclosureModule).Assembly,
        typeof(Permits.Identity.IdentityModule).Assembly,
        typeof(Permits.Notifications.NotificationsModule).Assembly,
    ];

    public static TheoryData<string, string> Statements()
    {
        var data = new TheoryData<string, string>();
        foreach (var assembly in ServiceAssemblies)
        {
            foreach (var resource in assembly.GetManifestResourceNames().Where(n => n.StartsWith("sql/SqlServer/", StringComparison.Ordinal)))
            {
                using var reader = new StreamReader(assembly.GetManifestResourceStream(resource)!);
                data.Add($"{assembly.GetName().Name}:{resource}", reader.ReadToEnd());
            }

            foreach (var type in assembly.GetTypes())
            {
                foreach (var field in type.GetFields(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static)
                             .Where(f => f.IsLiteral && f.FieldType == typeof(string)
                                 && (f.Name.EndsWith("Sql", StringComparison.Ordinal) || f.Name.EndsWith("SqlSqlServer", StringComparison.Ordinal))))
                {
                    data.Add($"{type.FullName}.{field.Name}", (string)field.GetRawConstantValue()!);
                }

                foreach (var (name, update) in ApplicationUpdates(type))
                {
                    data.Add($"{type.FullName}.{name}", update.Sql);
                }
            }
        }

        return data;
    }

    /// <summary>
    /// Intake's status consumers build their UPDATE once from the columns an event sets (<see cref="ApplicationUpdate"/>),
    /// in static readonly fields rather than consts; a generic consumer's are read from it closed over object (their
    /// messages are any class).
    /// </summary>
    private static IEnumerable<(string Name, ApplicationUpdate Update)> ApplicationUpdates(Type type)
    {
        var fields = type.GetFields(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static | BindingFlags.DeclaredOnly)
            .Where(f => f.FieldType == typeof(ApplicationUpdate))
            .ToList();
        if (fields.Count == 0)
        {
            yield break;
        }

        var closed = type.IsGenericTypeDefinition
            ? type.MakeGenericType(type.GetGenericArguments().Select(_ => typeof(object)).ToArray())
            : type;
        foreach (var field in fields)
        {
            yield return (field.Name, (ApplicationUpdate)closed.GetField(field.Name, BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static)!.GetValue(null)!);
        }
    }

    [Theory]
    [MemberData(nameof(Statements))]
    public void Should_parse_without_errors(string source, string sql)
    {
        var errors = Parse(sql);
        Assert.True(errors.Count == 0,
            $"{source} is not valid T-SQL:\n" + string.Join("\n", errors.Select(e => $"  line {e.Line}, col {e.Column}: {e.Message}")) + $"\n{sql}");
    }

    [Fact]
    public void Should_find_the_schema_scripts_and_queries_of_every_service()
    {
        var sources = Statements().Select(row => (string)row[0]).ToList();
        foreach (var assembly in ServiceAssemblies)
        {
            var name = assembly.GetName().Name!;
            Assert.Contains(sources, s => s.StartsWith($"{name}:sql/SqlServer/", StringComparison.Ordinal));
            Assert.Contains(sources, s => s.StartsWith(name + ".", StringComparison.Ordinal));
        }

        // Intake's event UPDATEs, built rather than const: accepted, extended, approved, issued, dispatched, delivered, a
        // licence step applied; and the plain advance and the refusal.
        var updates = typeof(Permits.Intake.IntakeModule).Assembly.GetTypes().SelectMany(ApplicationUpdates).Select(u => u.Update.Sql).ToList();
        Assert.True(updates.Count >= 9, $"only {updates.Count} of Intake's status consumers' UPDATEs are among the statements parsed");
    }

    [Fact]
    public void Should_reject_what_sql_server_would_reject()
    {
        Assert.NotEmpty(Parse("SELECT id FROM outbox_messages ORDER BY sequence LIMIT @Limit"));
        Assert.NotEmpty(Parse("INSERT INTO t (a) VALUES (@A) ON CONFLICT DO NOTHING"));
    }

    /// <summary>
    /// The licence register import's multi-row INSERT is built at run time, so no const holds it: a full statement,
    /// with the optional values both present and absent, must parse and stay under SQL Server's 2,100 parameters.
    /// </summary>
    [Fact]
    public void Should_parse_the_register_imports_multi_row_insert()
    {
        var batch = new Permits.Certificate.Features.Register.ImportedBatch("330424", "海盐县烟草专卖局", Guid.NewGuid(), DateTimeOffset.UtcNow);
        var rows = Enumerable.Range(1, Permits.Certificate.Features.Register.RegisterBulkInsert.RowsPerStatement).Select(i =>
            new Permits.Certificate.Features.Register.ImportedRow(Guid.NewGuid(), Guid.NewGuid(), new Permits.Certificate.Features.Register.RegisterEntry(
                i, $"3304241{i:D5}", "便民烟杂店", "王五", i % 2 == 0 ? "92330424MA00000000" : null, i % 2 == 0 ? null : "digest",
                "海盐县武原街道", "IndividualBusiness", new DateOnly(2024, 1, 1), new DateOnly(2028, 12, 31), "Valid",
                i % 3 == 0 ? "停业" : null, i % 2 == 0 ? "海盐县烟草公司" : null, i % 2 == 0 ? 120.9 : null, i % 2 == 0 ? 30.5 : null),
                $"elicence-{i}")).ToArray();

        var (sql, parameters) = Permits.Certificate.Features.Register.RegisterBulkInsert.Statement(rows, batch);

        var errors = Parse(sql);
        Assert.True(errors.Count == 0, string.Join("\n", errors.Select(e => $"line {e.Line}, col {e.Column}: {e.Message}")));
        Assert.InRange(parameters.ParameterNames.Count(), rows.Length, 2_099);
        Assert.Equal(rows.Length, sql.Split("),(").Length);
    }

    private static IList<ParseError> Parse(string sql)
    {
        // Dapper expands `IN @List` into `IN (@List1, @List2)` before sending; give the parser the sent shape.
        var sent = ListParameter().Replace(sql, "IN (@$1)");
        var parser = new TSql160Parser(initialQuotedIdentifiers: true);
        using var reader = new StringReader(sent);
        parser.Parse(reader, out var errors);
        return errors;
    }

    [GeneratedRegex(@"IN @(\w+)")]
    private static partial Regex ListParameter();
}

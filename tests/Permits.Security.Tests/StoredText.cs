using System.Data.Common;
using Dapper;

namespace Permits.Security.Tests;

/// <summary>
/// Every text value every service stored, read back from its database: none may hold a control character (C0 but
/// tab, line feed and carriage return; DEL; C1) or a bidirectional override or isolate (U+202A–U+202E, U+2066–U+2069).
/// </summary>
public static class StoredText
{
    public static bool IsForbidden(char c) =>
        (c < 0x20 && c is not '\t' and not '\n' and not '\r')
        || c is >= '\u007f' and <= '\u009f'
        || c is >= '\u202a' and <= '\u202e'
        || c is >= '\u2066' and <= '\u2069';

    /// <summary>Where a forbidden character is stored: "service.table.column: value (escaped, cut)"; and how many values were read.</summary>
    public static async Task<(IReadOnlyList<string> Findings, long ValuesRead)> ScanAsync(SystemUnderTest system)
    {
        var findings = new List<string>();
        long read = 0;
        foreach (var service in SystemUnderTest.ServiceNames)
        {
            await using var connection = system.OpenDatabase(service);
            await connection.OpenAsync();
            foreach (var table in await TablesAsync(connection, system.Provider))
            {
                using var reader = await connection.ExecuteReaderAsync($"SELECT * FROM \"{table}\"");
                while (await reader.ReadAsync())
                {
                    for (var i = 0; i < reader.FieldCount; i++)
                    {
                        if (reader.IsDBNull(i) || reader.GetFieldType(i) != typeof(string))
                        {
                            continue;
                        }

                        var value = reader.GetString(i);
                        read++;
                        if (value.Any(IsForbidden))
                        {
                            findings.Add($"{service}.{table}.{reader.GetName(i)}: {Escape(value)}");
                        }
                    }
                }
            }
        }

        return (findings, read);
    }

    public static string Escape(string value)
    {
        var cut = value.Length > 80 ? value[..80] + $"…({value.Length})" : value;
        return string.Concat(cut.Select(c => IsForbidden(c) || char.IsSurrogate(c) ? $"\\u{(int)c:x4}" : c.ToString()));
    }

    private static async Task<IEnumerable<string>> TablesAsync(DbConnection connection, string provider) => provider == "PostgreSql"
        ? await connection.QueryAsync<string>(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE'")
        : await connection.QueryAsync<string>("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'");
}

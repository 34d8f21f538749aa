using System.Xml.Linq;

namespace Permits.Build;

/// <summary>Test outcomes read from the .trx files dotnet test wrote (one per test project).</summary>
internal sealed class TrxReport
{
    private static readonly XNamespace ns = "http://microsoft.com/schemas/VisualStudio/TeamTest/2010";

    public List<(string Project, int Passed, int Failed, int Skipped)> Projects { get; } = [];

    public List<(string Test, string Message)> Failures { get; } = [];

    /// <summary>Run-level errors, such as a test host that crashed.</summary>
    public List<string> RunErrors { get; } = [];

    public int Passed => Projects.Sum(p => p.Passed);

    public int Failed => Projects.Sum(p => p.Failed);

    public int Skipped => Projects.Sum(p => p.Skipped);

    public int Total => Passed + Failed + Skipped;

    public static TrxReport Read(string directory)
    {
        var report = new TrxReport();
        if (!Directory.Exists(directory))
        {
            return report;
        }

        foreach (var file in Directory.EnumerateFiles(directory, "*.trx").Order())
        {
            report.Add(file, XDocument.Load(file));
        }

        return report;
    }

    private void Add(string file, XDocument trx)
    {
        // codeBase keeps the assembly name's case; storage is lower-cased.
        var storage = trx.Descendants(ns + "TestMethod").Select(t => (string?)t.Attribute("codeBase"))
            .Concat(trx.Descendants(ns + "UnitTest").Select(t => (string?)t.Attribute("storage")))
            .FirstOrDefault(s => s is not null);
        if (storage is null && !trx.Descendants(ns + "RunInfo").Any(r => (string?)r.Attribute("outcome") == "Error"))
        {
            // A test project in which a --filter matched nothing: no row for it.
            return;
        }

        var project = storage is null ? Path.GetFileNameWithoutExtension(file) : Path.GetFileNameWithoutExtension(storage);
        int passed = 0, failed = 0, skipped = 0;
        foreach (var result in trx.Descendants(ns + "UnitTestResult"))
        {
            switch ((string?)result.Attribute("outcome"))
            {
                case "Passed":
                    passed++;
                    break;
                case "NotExecuted" or "Inconclusive":
                    skipped++;
                    break;
                default:
                    // Failed, Error, Timeout, Aborted: anything that is not a pass or a deliberate skip.
                    failed++;
                    var message = (string?)result.Descendants(ns + "Message").FirstOrDefault() ?? "";
                    Failures.Add(((string?)result.Attribute("testName") ?? "?", FirstLine(message)));
                    break;
            }
        }

        foreach (var info in trx.Descendants(ns + "RunInfo").Where(r => (string?)r.Attribute("outcome") == "Error"))
        {
            // xunit echoes each failed test here too; those are listed with their messages already.
            var text = FirstLine((string?)info.Element(ns + "Text") ?? "");
            if (!text.Contains("[FAIL]", StringComparison.Ordinal))
            {
                RunErrors.Add($"{project}: {text}");
            }
        }

        Projects.Add((project, passed, failed, skipped));
    }

    private static string FirstLine(string text) => text.Trim().Split('\n')[0].Trim();
}

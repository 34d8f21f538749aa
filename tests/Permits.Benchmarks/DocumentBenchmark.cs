using System.Diagnostics;
using Microsoft.Extensions.Configuration;
using Org.BouncyCastle.Crypto.Parameters;
using Permits.Certificate.Documents;
using Permits.Certificate.Features;
using Permits.Certificate.Features.Documents;
using Permits.Certificate.Signing;
using Permits.Contracts.Documents;

namespace Permits.Benchmarks;

/// <summary>
/// `./build.sh bench documents [N]`: renders N formal documents and N licence faces in this process, as Certificate
/// does per step event and per licence download, signs as it signs each document, and prints CPU ms and allocated
/// bytes per document. Each is rendered N times, and for at least a second, before the clock starts (the font is loaded
/// once per process, the code compiled optimised).
/// Figures only, nothing asserted.
/// </summary>
public static class DocumentBenchmark
{
    public static void Run(int count)
    {
        var sample = new Sample();
        var (configuration, content, token, key) = (sample.Configuration, sample.Content, sample.Token, sample.Key);
        var (fields, licenceToken) = (sample.Fields, sample.LicenceToken);

        Measure("formal document (受理通知书)", count, () => OfficialDocumentPdf.Render(content, token, configuration));
        Measure("licence face", count, () => LicencePdf.Render(fields, licenceToken, configuration));
        Measure("  of which the QR code", count, () => new byte[QrCode.Encode(licenceToken).Size]);
        Measure("  of which the font subset", count, () =>
        {
            var (typeface, owned) = LicenceFont.Load(configuration).For(fields.Values);
            if (owned)
            {
                typeface.Dispose();
            }

            return [];
        });

        // Every document is signed twice (its token, then its PDF's bytes); a licence's token once more.
        var pdf = OfficialDocumentPdf.Render(content, token, configuration);
        Measure("SM2 signature of its PDF", count, () => Sm2.Sign(key, pdf));
        Measure("SM2 signature of a token", count, () => Sm2.Sign(key, System.Text.Encoding.UTF8.GetBytes(token)));
        Measure(IssuedDocument, count, sample.Issue);
    }

    private const string IssuedDocument = "issued document (all above)";

    /// <summary>
    /// CPU ms of this process per issued document (the last line of <see cref="Run"/>, printed as there): what a
    /// consumer spends on one document, database aside, single-threaded, after the same warm-up.
    /// </summary>
    public static double IssuedDocumentCpuMilliseconds(int count) => Measure(IssuedDocument, count, new Sample().Issue);

    /// <summary>A formal document and a licence face as Certificate renders them, with their signing key and tokens.</summary>
    private sealed class Sample
    {
        public IConfiguration Configuration { get; } =
            new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>()).Build();

        public OfficialDocumentContent Content { get; } = new(
            OfficialDocuments.Get(OfficialDocuments.Acceptance),
            "某烟许受〔2026〕第 000123 号",
            "某某县烟草专卖局",
            "某某便利店",
            [
                new Paragraph("你（单位）于2026年12月6日提出的烟草专卖零售许可证新办申请，经审查，申请材料齐全、符合法定形式，决定予以受理。"),
                new Paragraph("本机关将在受理之日起二十个工作日内作出是否准予行政许可的决定，并依法送达。"),
                new FormRow("经营场所", "某某省某某市某某县某某镇某某路 88 号一层"),
                new FormRow("统一社会信用代码", "91330100MA2ABCDE1X"),
            ],
            new DateOnly(2026, 12, 6));

        public Dictionary<string, string> Fields { get; } = new()
        {
            ["licenceNumber"] = "330100123456", ["duplicate"] = "0", ["holderName"] = "某某便利店", ["responsiblePerson"] = "张三",
            ["premisesAddress"] = "某某省某某市某某县某某镇某某路 88 号", ["holderType"] = "个体工商户", ["creditCode"] = "91330100MA2ABCDE1X",
            ["scope"] = "卷烟、雪茄烟零售", ["supplier"] = "某某市烟草公司", ["validFrom"] = "2026-12-06", ["validTo"] = "2031-12-05",
            ["issuingAuthority"] = "某某县烟草专卖局", ["issuedOn"] = "2026-12-06", ["elicenceId"] = "E-330100-000123", ["version"] = "1",
        };

        public ECPrivateKeyParameters Key { get; } = (ECPrivateKeyParameters)Sm2.Generate().Private;

        public string Token { get; }

        public string LicenceToken { get; }

        public Sample()
        {
            // Real tokens in the QR codes, signed over the fields Certificate signs (a document's in IssueDocument, a
            // licence's in LicenceSigner): a run of one letter would let an encoder pack it as alphanumeric, and a token
            // of every field would make a larger code than any real one.
            var signing = new SigningKey("bench-2026", "某某县烟草专卖局", Sm2.PublicOf(Key), Key);
            Token = SignedToken.Create(signing, new Dictionary<string, string>
            {
                [IssueDocument.KindField] = Content.Kind.Code, ["n"] = Content.Number, ["d"] = "2026-12-06", ["a"] = Content.Bureau,
            });
            LicenceToken = SignedToken.Create(signing, LicenceSigner.TokenFields(new CertificateRow
            {
                LicenceNumber = Fields["licenceNumber"], Version = 1, HolderName = Fields["holderName"], IssuingAuthority = Fields["issuingAuthority"],
                ValidFrom = new DateOnly(2026, 12, 6), ValidTo = new DateOnly(2031, 12, 5),
            }, "1.2.156.3005.2.11100000000013338W.11330100002583918X.330100123456.001.K"));
        }

        /// <summary>What a consumer spends on one document, database aside: as IssueDocument does it.</summary>
        public byte[] Issue()
        {
            Sm2.Sign(Key, System.Text.Encoding.UTF8.GetBytes(Token));
            var rendered = OfficialDocumentPdf.Render(Content, Token, Configuration);
            System.Security.Cryptography.SHA256.HashData(rendered);
            Sm2.Sign(Key, rendered);
            return rendered;
        }
    }

    /// <returns>CPU ms of this process per document.</returns>
    private static double Measure(string what, int count, Func<byte[]> render)
    {
        // Warm: the JIT compiles a method again, optimised, on a background thread once its 30th call comes 100 ms after
        // the last new method; measured before that, the first line carried the compiler's CPU and unoptimised code.
        var size = 0;
        var warm = Stopwatch.StartNew();
        for (var i = 0; i < count || warm.ElapsedMilliseconds < 1000; i++)
        {
            size = render().Length;
        }

        GC.Collect();
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var allocated = GC.GetTotalAllocatedBytes(precise: true);
        var wall = Stopwatch.StartNew();
        for (var i = 0; i < count; i++)
        {
            size = render().Length;
        }

        wall.Stop();
        var cpuMs = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalMilliseconds / count;
        var bytes = (GC.GetTotalAllocatedBytes(precise: true) - allocated) / count;
        Console.WriteLine(
            $"{what,-30} {count} rendered: {wall.Elapsed.TotalMilliseconds / count,7:0.0} ms wall, {cpuMs,7:0.0} ms CPU, " +
            $"{bytes / 1024.0,9:0} KB managed allocated per document; PDF {size / 1024.0:0} KB; peak working set {Environment.WorkingSet / 1048576.0:0} MB");
        return cpuMs;
    }
}

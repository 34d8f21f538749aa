using Permits.Documents;

namespace Permits.Certificate.Documents;

/// <summary>
/// The CJK TrueType font licence PDFs embed, as a per-document subset (config <c>Certificate:SubsetFont</c>, default
/// true; false embeds the whole font). Config <c>Certificate:FontFile</c>; otherwise the first Debian font found.
/// </summary>
public static class LicenceFont
{
    public const string DebianPackage = CjkFont.DebianPackage;

    public static PdfTypeface Load(IConfiguration configuration) =>
        CjkFont.Load(configuration["Certificate:FontFile"], "Certificate:FontFile", "许可证", '证');
}

using Permits.Contracts.Intake.V1;

namespace Permits.Portal.Pages.Officer.Materials;

/// <summary>How the case page names a material: its kind (the applicant form's words), its file type and its size.</summary>
public static class MaterialWords
{
    public static string Kind(MaterialKind kind) => Apply.IndexModel.MaterialLabel(kind);

    public static string Type(string contentType) => contentType switch
    {
        "image/jpeg" => "JPG 图片",
        "image/png" => "PNG 图片",
        "application/pdf" => "PDF 文件",
        _ => contentType,
    };

    public static string Size(long bytes) => bytes switch
    {
        < 1024 => $"{bytes} 字节",
        < 1024 * 1024 => $"{bytes / 1024.0:0.#} KB",
        _ => $"{bytes / 1024.0 / 1024.0:0.##} MB",
    };
}

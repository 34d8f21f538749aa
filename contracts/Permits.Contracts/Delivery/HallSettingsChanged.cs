namespace Permits.Contracts.Delivery;

/// <summary>
/// A county's 系统管理员 changed its service hall (政务服务大厅): where licences are collected, when it is open and its
/// phone. Delivery owns the setting; services that print or show the hall (Certificate's documents, the Portal's
/// guide and progress pages) keep the latest <paramref name="Version"/> they heard, so a change is in force without a
/// restart. Versions only grow per county: an older version arriving late changes nothing.
/// </summary>
public sealed record HallSettingsChanged(
    string CountyCode,
    string Address,
    string OpeningHours,
    string Phone,
    int Version,
    DateTimeOffset ChangedAt,
    string ChangedBy);

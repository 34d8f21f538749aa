namespace Permits.Contracts.Review;

/// <summary>
/// One legal ground a refusal (不予受理 or 不予行政许可) cites: its code in the county's list of grounds, and the
/// wording the decision document prints (the ground with its legal basis).
/// </summary>
public sealed record RefusalGround(string Code, string Text);

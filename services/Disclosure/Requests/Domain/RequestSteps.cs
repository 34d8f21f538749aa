namespace Permits.Disclosure.Requests;

/// <summary>The steps of a request as the audit trail names them.</summary>
public static class RequestSteps
{
    public const string Filed = "Filed";
    public const string CorrectionRequested = "CorrectionRequested";
    public const string Corrected = "Corrected";
    public const string ConsultationStarted = "ConsultationStarted";
    public const string ConsultationEnded = "ConsultationEnded";
    public const string Extended = "Extended";
    public const string Answered = "Answered";
    public const string ClosedOverdueCorrection = "ClosedOverdueCorrection";
    public const string AppealRecorded = "AppealRecorded";
    public const string AppealConcluded = "AppealConcluded";

    /// <summary>The answer's due date counted again on a holiday arrangement published since (by the system).</summary>
    public const string Recounted = "Recounted";

    /// <summary>The actor of steps the requester takes (filing, correcting): never their name or number.</summary>
    public const string RequesterActor = "requester";

    public static string Label(string action) => action switch
    {
        Filed => "提交申请",
        CorrectionRequested => "出具补正告知书",
        Corrected => "申请人补正",
        ConsultationStarted => "征求第三方意见",
        ConsultationEnded => "第三方意见征询结束",
        Extended => "延长答复期限",
        Answered => "作出答复",
        ClosedOverdueCorrection => "逾期未补正，不再处理",
        AppealRecorded => "登记复议/诉讼",
        AppealConcluded => "登记复议/诉讼结果",
        Recounted => "按节假日安排重算答复期限",
        _ => action,
    };
}

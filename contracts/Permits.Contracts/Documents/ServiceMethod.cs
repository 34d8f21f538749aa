namespace Permits.Contracts.Documents;

/// <summary>How a document was served (送达方式), as the 送达回证 records it.</summary>
public enum ServiceMethod
{
    /// <summary>电子送达: the applicant, who consented at submission, opened the document in the Portal.</summary>
    Electronic = 1,

    /// <summary>邮寄送达: delivered by the courier (for a licence, its shipment's delivery).</summary>
    Post = 2,

    /// <summary>直接送达: handed over at the service hall.</summary>
    Hall = 3,
}

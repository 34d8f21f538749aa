using Google.Rpc;
using Grpc.Core;
using Permits.Shared.Domain;

namespace Permits.Shared.Tests;

/// <summary>A request with thousands of bad items still gets an answer a client can read (HTTP/2 headers are capped).</summary>
public sealed class When_a_request_has_very_many_field_errors
{
    [Fact]
    public void Should_report_the_first_few_and_count_the_rest()
    {
        var errors = new FieldErrors();
        for (var i = 0; i < 5000; i++)
        {
            errors.Add($"reasons[{i}]", "含有不允许的字符 U+0000（空字符），请删除后重新填写");
        }

        var error = Assert.Throws<RpcException>(errors.ThrowIfAny);

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Contains("另有 4980 处错误", error.Status.Detail);
        Assert.True(error.Status.Detail.Length < 4000, $"{error.Status.Detail.Length} characters");
        var details = error.GetRpcStatus()!.GetDetail<BadRequest>()!;
        Assert.Equal(FieldErrors.MaxReported, details.FieldViolations.Count);
        Assert.Equal("reasons[0]", details.FieldViolations[0].Field);
    }
}

using Google.Protobuf;
using Google.Rpc;
using Grpc.Core;
using Permits.Contracts.Intake.V1;
using Permits.Testing;

namespace Permits.Intake.Tests;

/// <summary>
/// One input policy for every rpc: control characters (a NUL broke PostgreSQL with a 500), bidi overrides and
/// invisible characters are refused as INVALID_ARGUMENT naming the field, before anything is stored.
/// </summary>
public abstract class When_a_text_field_carries_control_or_bidi_characters(string provider) : IAsyncLifetime
{
    private IntakeHost _host = null!;

    public async Task InitializeAsync() => _host = await IntakeHost.StartAsync(provider);

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private static async Task<BadRequest.Types.FieldViolation> RefusedAsync(Func<Task> call)
    {
        var error = await Assert.ThrowsAsync<RpcException>(call);
        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        return Assert.Single(error.GetRpcStatus()!.GetDetail<BadRequest>()!.FieldViolations);
    }

    [Theory]
    [InlineData("client_request_id", "req-\0-1")]
    [InlineData("business_name", "惠民\u202E便利店")]
    [InlineData("responsible_person", "王\u200B小明")]
    [InlineData("premises_address", "武原街道\u0085新桥北路 1 号")]
    [InlineData("contact_phone", "13800571234\n")]
    public async Task Should_refuse_submit_naming_the_field_and_store_nothing(string field, string value)
    {
        var form = SampleApplications.Individual();
        SubmitApplicationRequest.Descriptor.FindFieldByName(field).Accessor.SetValue(form, value);

        var violation = await RefusedAsync(() => _host.Client.SubmitAsync(form, IntakeHost.As()).ResponseAsync);

        Assert.Equal(field, violation.Field);
        Assert.Contains("U+", violation.Description);
        Assert.Equal(0, await _host.CountAsync("applications"));
        Assert.Equal(0, await _host.CountAsync("outbox_messages"));
    }

    [Fact]
    public async Task Should_refuse_a_draft_naming_the_nested_field()
    {
        var form = SampleApplications.Individual();
        form.PremisesAddress = "武原街道\0";

        var violation = await RefusedAsync(() =>
            _host.Client.SaveDraftAsync(new SaveDraftRequest { Form = form }, IntakeHost.As()).ResponseAsync);

        Assert.Equal("form.premises_address", violation.Field);
        Assert.Equal(0, await _host.CountAsync("application_drafts"));
    }

    [Theory]
    [InlineData("invoice\u202Egpj.exe")]
    [InlineData("scan\u2066.jpg")]
    [InlineData("\uFEFFscan.jpg")]
    [InlineData("scan\0.jpg")]
    public async Task Should_refuse_a_file_name_that_reads_otherwise_than_stored(string name)
    {
        var draft = await _host.Client.SaveDraftAsync(new SaveDraftRequest { Form = SampleApplications.Individual() }, IntakeHost.As());
        var upload = new UploadMaterialRequest
        {
            DraftId = draft.DraftId, Kind = MaterialKind.IdCard, FileName = name,
            Content = ByteString.CopyFrom([0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10, .. "JFIF"u8, 0x00, 0x01, 0xFF, 0xD9]),
        };

        var violation = await RefusedAsync(() => _host.Client.UploadMaterialAsync(upload, IntakeHost.As()).ResponseAsync);

        Assert.Equal("file_name", violation.Field);
        Assert.Equal(0, await _host.CountAsync("application_materials"));
    }

    [Fact]
    public async Task Should_keep_line_breaks_and_tabs_in_free_text_but_not_a_nul()
    {
        var form = SampleApplications.Individual();
        var submitted = await _host.Client.SubmitAsync(form, IntakeHost.As());

        var withdrawn = await _host.Client.WithdrawAsync(new WithdrawApplicationRequest
        {
            ApplicationId = submitted.ApplicationId, Reason = "店面转让，\r\n\t暂不经营",
        }, IntakeHost.As());
        Assert.NotNull(withdrawn);

        var again = await _host.Client.SubmitAsync(SampleApplications.Individual(), IntakeHost.As());
        var violation = await RefusedAsync(() => _host.Client.WithdrawAsync(new WithdrawApplicationRequest
        {
            ApplicationId = again.ApplicationId, Reason = "店面转让\0",
        }, IntakeHost.As()).ResponseAsync);
        Assert.Equal("reason", violation.Field);
    }
}

public sealed class When_a_text_field_carries_control_or_bidi_characters_on_sqlite()
    : When_a_text_field_carries_control_or_bidi_characters("Sqlite");

public sealed class When_a_text_field_carries_control_or_bidi_characters_on_postgresql()
    : When_a_text_field_carries_control_or_bidi_characters("PostgreSql");

/// <summary>Bytes that are not a protobuf message are the caller's mistake: INVALID_ARGUMENT, not UNKNOWN.</summary>
public sealed class When_a_request_is_not_a_protobuf_message : IAsyncLifetime
{
    private IntakeHost _host = null!;

    public async Task InitializeAsync() => _host = await IntakeHost.StartAsync("Sqlite");

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Theory]
    [InlineData(new byte[] { 0x0A, 0xFF, 0xFF, 0xFF, 0xFF, 0x0F })]  // a string field longer than the message
    [InlineData(new byte[] { 0x0A, 0x02, 0xC3, 0x28 })]              // a string that is not UTF-8
    [InlineData(new byte[] { 0x07 })]                                 // wire type 7 does not exist
    public async Task Should_answer_invalid_argument(byte[] body)
    {
        var raw = Marshallers.Create<byte[]>(b => b, b => b);
        var submit = new Method<byte[], byte[]>(MethodType.Unary, "permits.intake.v1.Applications", "Submit", raw, raw);

        var error = await Assert.ThrowsAsync<RpcException>(() =>
            _host.Invoker.AsyncUnaryCall(submit, null, new CallOptions(IntakeHost.As()), body).ResponseAsync);

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.DoesNotContain("Exception", error.Status.Detail);
        Assert.Equal(0, await _host.CountAsync("applications"));
    }
}

/// <summary>A 身份证号 whose holder is not born yet, or who lives at 000000, passed the checksum alone.</summary>
public sealed class When_an_id_number_names_no_real_place_or_birth : IAsyncLifetime
{
    private IntakeHost _host = null!;

    public async Task InitializeAsync() => _host = await IntakeHost.StartAsync("PostgreSql");

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Theory]
    [InlineData("000000")]
    [InlineData("future")]
    public async Task Should_refuse_submit_on_the_id_number(string spoilt)
    {
        var tomorrow = DateTime.UtcNow.AddHours(8).AddDays(1).ToString("yyyyMMdd");
        var first17 = spoilt == "000000" ? "00000019800101001" : $"330424{tomorrow}001";
        int[] weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
        var form = SampleApplications.Individual();
        form.IdNumber = first17 + "10X98765432"[first17.Select((c, i) => (c - '0') * weights[i]).Sum() % 11];

        var error = await Assert.ThrowsAsync<RpcException>(() => _host.Client.SubmitAsync(form, IntakeHost.As()).ResponseAsync);

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Contains(error.GetRpcStatus()!.GetDetail<BadRequest>()!.FieldViolations, v => v.Field == "id_number");
        Assert.Equal(0, await _host.CountAsync("applications"));
    }
}

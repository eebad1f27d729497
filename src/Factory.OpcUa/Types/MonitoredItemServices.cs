// OPC 10000-4, 5.12 (MonitoredItem Service Set) and 7.22 (MonitoringFilter): binary layouts as the specification's type schema defines them.
using Factory.OpcUa.Encoding;

namespace Factory.OpcUa.Types;

public sealed record MonitoringParameters(
    uint ClientHandle = 0,
    double SamplingInterval = 0,
    ExtensionObject Filter = default,
    uint QueueSize = 0,
    bool DiscardOldest = false)
    : IEncodeable<MonitoringParameters>
{
    public static NodeId EncodingId => new(742);

    public NodeId BinaryEncodingId => EncodingId;

    public void Encode(BinaryEncoder encoder)
    {
        encoder.WriteUInt32(ClientHandle);
        encoder.WriteDouble(SamplingInterval);
        encoder.WriteExtensionObject(Filter);
        encoder.WriteUInt32(QueueSize);
        encoder.WriteBoolean(DiscardOldest);
    }

    public static MonitoringParameters Decode(BinaryDecoder decoder) => new(
        decoder.ReadUInt32(),
        decoder.ReadDouble(),
        decoder.ReadExtensionObject(),
        decoder.ReadUInt32(),
        decoder.ReadBoolean());
}

public sealed record MonitoredItemCreateRequest(
    ReadValueId ItemToMonitor,
    MonitoringMode MonitoringMode,
    MonitoringParameters RequestedParameters)
    : IEncodeable<MonitoredItemCreateRequest>
{
    public static NodeId EncodingId => new(745);

    public NodeId BinaryEncodingId => EncodingId;

    public void Encode(BinaryEncoder encoder)
    {
        encoder.WriteEncodeable(ItemToMonitor);
        encoder.WriteEnum(MonitoringMode);
        encoder.WriteEncodeable(RequestedParameters);
    }

    public static MonitoredItemCreateRequest Decode(BinaryDecoder decoder) => new(
        decoder.ReadEncodeable<ReadValueId>(),
        decoder.ReadEnum<MonitoringMode>(),
        decoder.ReadEncodeable<MonitoringParameters>());
}

public sealed record MonitoredItemCreateResult(
    StatusCode StatusCode = default,
    uint MonitoredItemId = 0,
    double RevisedSamplingInterval = 0,
    uint RevisedQueueSize = 0,
    ExtensionObject FilterResult = default)
    : IEncodeable<MonitoredItemCreateResult>
{
    public static NodeId EncodingId => new(748);

    public NodeId BinaryEncodingId => EncodingId;

    public void Encode(BinaryEncoder encoder)
    {
        encoder.WriteStatusCode(StatusCode);
        encoder.WriteUInt32(MonitoredItemId);
        encoder.WriteDouble(RevisedSamplingInterval);
        encoder.WriteUInt32(RevisedQueueSize);
        encoder.WriteExtensionObject(FilterResult);
    }

    public static MonitoredItemCreateResult Decode(BinaryDecoder decoder) => new(
        decoder.ReadStatusCode(),
        decoder.ReadUInt32(),
        decoder.ReadDouble(),
        decoder.ReadUInt32(),
        decoder.ReadExtensionObject());
}

public sealed record CreateMonitoredItemsRequest(
    RequestHeader RequestHeader,
    uint SubscriptionId = 0,
    TimestampsToReturn TimestampsToReturn = default,
    MonitoredItemCreateRequest[]? ItemsToCreate = null)
    : IServiceRequest, IEncodeable<CreateMonitoredItemsRequest>
{
    public static NodeId EncodingId => new(751);

    public NodeId BinaryEncodingId => EncodingId;

    public IServiceRequest WithRequestHeader(RequestHeader header) => this with { RequestHeader = header };

    public void Encode(BinaryEncoder encoder)
    {
        encoder.WriteEncodeable(RequestHeader);
        encoder.WriteUInt32(SubscriptionId);
        encoder.WriteEnum(TimestampsToReturn);
        encoder.WriteEncodeableArray(ItemsToCreate);
    }

    public static CreateMonitoredItemsRequest Decode(BinaryDecoder decoder) => new(
        decoder.ReadEncodeable<RequestHeader>(),
        decoder.ReadUInt32(),
        decoder.ReadEnum<TimestampsToReturn>(),
        decoder.ReadEncodeableArray<MonitoredItemCreateRequest>());
}

public sealed record CreateMonitoredItemsResponse(
    ResponseHeader ResponseHeader,
    MonitoredItemCreateResult[]? Results = null,
    DiagnosticInfo?[]? DiagnosticInfos = null)
    : IServiceResponse, IEncodeable<CreateMonitoredItemsResponse>
{
    public static NodeId EncodingId => new(754);

    public NodeId BinaryEncodingId => EncodingId;

    public void Encode(BinaryEncoder encoder)
    {
        encoder.WriteEncodeable(ResponseHeader);
        encoder.WriteEncodeableArray(Results);
        encoder.WriteDiagnosticInfoArray(DiagnosticInfos);
    }

    public static CreateMonitoredItemsResponse Decode(BinaryDecoder decoder) => new(
        decoder.ReadEncodeable<ResponseHeader>(),
        decoder.ReadEncodeableArray<MonitoredItemCreateResult>(),
        decoder.ReadDiagnosticInfoArray());
}

public sealed record MonitoredItemModifyRequest(
    uint MonitoredItemId,
    MonitoringParameters RequestedParameters)
    : IEncodeable<MonitoredItemModifyRequest>
{
    public static NodeId EncodingId => new(757);

    public NodeId BinaryEncodingId => EncodingId;

    public void Encode(BinaryEncoder encoder)
    {
        encoder.WriteUInt32(MonitoredItemId);
        encoder.WriteEncodeable(RequestedParameters);
    }

    public static MonitoredItemModifyRequest Decode(BinaryDecoder decoder) => new(
        decoder.ReadUInt32(),
        decoder.ReadEncodeable<MonitoringParameters>());
}

public sealed record MonitoredItemModifyResult(
    StatusCode StatusCode = default,
    double RevisedSamplingInterval = 0,
    uint RevisedQueueSize = 0,
    ExtensionObject FilterResult = default)
    : IEncodeable<MonitoredItemModifyResult>
{
    public static NodeId EncodingId => new(760);

    public NodeId BinaryEncodingId => EncodingId;

    public void Encode(BinaryEncoder encoder)
    {
        encoder.WriteStatusCode(StatusCode);
        encoder.WriteDouble(RevisedSamplingInterval);
        encoder.WriteUInt32(RevisedQueueSize);
        encoder.WriteExtensionObject(FilterResult);
    }

    public static MonitoredItemModifyResult Decode(BinaryDecoder decoder) => new(
        decoder.ReadStatusCode(),
        decoder.ReadDouble(),
        decoder.ReadUInt32(),
        decoder.ReadExtensionObject());
}

public sealed record ModifyMonitoredItemsRequest(
    RequestHeader RequestHeader,
    uint SubscriptionId = 0,
    TimestampsToReturn TimestampsToReturn = default,
    MonitoredItemModifyRequest[]? ItemsToModify = null)
    : IServiceRequest, IEncodeable<ModifyMonitoredItemsRequest>
{
    public static NodeId EncodingId => new(763);

    public NodeId BinaryEncodingId => EncodingId;

    public IServiceRequest WithRequestHeader(RequestHeader header) => this with { RequestHeader = header };

    public void Encode(BinaryEncoder encoder)
    {
        encoder.WriteEncodeable(RequestHeader);
        encoder.WriteUInt32(SubscriptionId);
        encoder.WriteEnum(TimestampsToReturn);
        encoder.WriteEncodeableArray(ItemsToModify);
    }

    public static ModifyMonitoredItemsRequest Decode(BinaryDecoder decoder) => new(
        decoder.ReadEncodeable<RequestHeader>(),
        decoder.ReadUInt32(),
        decoder.ReadEnum<TimestampsToReturn>(),
        decoder.ReadEncodeableArray<MonitoredItemModifyRequest>());
}

public sealed record ModifyMonitoredItemsResponse(
    ResponseHeader ResponseHeader,
    MonitoredItemModifyResult[]? Results = null,
    DiagnosticInfo?[]? DiagnosticInfos = null)
    : IServiceResponse, IEncodeable<ModifyMonitoredItemsResponse>
{
    public static NodeId EncodingId => new(766);

    public NodeId BinaryEncodingId => EncodingId;

    public void Encode(BinaryEncoder encoder)
    {
        encoder.WriteEncodeable(ResponseHeader);
        encoder.WriteEncodeableArray(Results);
        encoder.WriteDiagnosticInfoArray(DiagnosticInfos);
    }

    public static ModifyMonitoredItemsResponse Decode(BinaryDecoder decoder) => new(
        decoder.ReadEncodeable<ResponseHeader>(),
        decoder.ReadEncodeableArray<MonitoredItemModifyResult>(),
        decoder.ReadDiagnosticInfoArray());
}

public sealed record SetMonitoringModeRequest(
    RequestHeader RequestHeader,
    uint SubscriptionId = 0,
    MonitoringMode MonitoringMode = default,
    uint[]? MonitoredItemIds = null)
    : IServiceRequest, IEncodeable<SetMonitoringModeRequest>
{
    public static NodeId EncodingId => new(769);

    public NodeId BinaryEncodingId => EncodingId;

    public IServiceRequest WithRequestHeader(RequestHeader header) => this with { RequestHeader = header };

    public void Encode(BinaryEncoder encoder)
    {
        encoder.WriteEncodeable(RequestHeader);
        encoder.WriteUInt32(SubscriptionId);
        encoder.WriteEnum(MonitoringMode);
        encoder.WriteUInt32Array(MonitoredItemIds);
    }

    public static SetMonitoringModeRequest Decode(BinaryDecoder decoder) => new(
        decoder.ReadEncodeable<RequestHeader>(),
        decoder.ReadUInt32(),
        decoder.ReadEnum<MonitoringMode>(),
        decoder.ReadUInt32Array());
}

public sealed record SetMonitoringModeResponse(
    ResponseHeader ResponseHeader,
    StatusCode[]? Results = null,
    DiagnosticInfo?[]? DiagnosticInfos = null)
    : IServiceResponse, IEncodeable<SetMonitoringModeResponse>
{
    public static NodeId EncodingId => new(772);

    public NodeId BinaryEncodingId => EncodingId;

    public void Encode(BinaryEncoder encoder)
    {
        encoder.WriteEncodeable(ResponseHeader);
        encoder.WriteStatusCodeArray(Results);
        encoder.WriteDiagnosticInfoArray(DiagnosticInfos);
    }

    public static SetMonitoringModeResponse Decode(BinaryDecoder decoder) => new(
        decoder.ReadEncodeable<ResponseHeader>(),
        decoder.ReadStatusCodeArray(),
        decoder.ReadDiagnosticInfoArray());
}

public sealed record DeleteMonitoredItemsRequest(
    RequestHeader RequestHeader,
    uint SubscriptionId = 0,
    uint[]? MonitoredItemIds = null)
    : IServiceRequest, IEncodeable<DeleteMonitoredItemsRequest>
{
    public static NodeId EncodingId => new(781);

    public NodeId BinaryEncodingId => EncodingId;

    public IServiceRequest WithRequestHeader(RequestHeader header) => this with { RequestHeader = header };

    public void Encode(BinaryEncoder encoder)
    {
        encoder.WriteEncodeable(RequestHeader);
        encoder.WriteUInt32(SubscriptionId);
        encoder.WriteUInt32Array(MonitoredItemIds);
    }

    public static DeleteMonitoredItemsRequest Decode(BinaryDecoder decoder) => new(
        decoder.ReadEncodeable<RequestHeader>(),
        decoder.ReadUInt32(),
        decoder.ReadUInt32Array());
}

public sealed record DeleteMonitoredItemsResponse(
    ResponseHeader ResponseHeader,
    StatusCode[]? Results = null,
    DiagnosticInfo?[]? DiagnosticInfos = null)
    : IServiceResponse, IEncodeable<DeleteMonitoredItemsResponse>
{
    public static NodeId EncodingId => new(784);

    public NodeId BinaryEncodingId => EncodingId;

    public void Encode(BinaryEncoder encoder)
    {
        encoder.WriteEncodeable(ResponseHeader);
        encoder.WriteStatusCodeArray(Results);
        encoder.WriteDiagnosticInfoArray(DiagnosticInfos);
    }

    public static DeleteMonitoredItemsResponse Decode(BinaryDecoder decoder) => new(
        decoder.ReadEncodeable<ResponseHeader>(),
        decoder.ReadStatusCodeArray(),
        decoder.ReadDiagnosticInfoArray());
}

public sealed record DataChangeFilter(
    DataChangeTrigger Trigger = default,
    uint DeadbandType = 0,
    double DeadbandValue = 0)
    : IMonitoringFilter, IEncodeable<DataChangeFilter>
{
    public static NodeId EncodingId => new(724);

    public NodeId BinaryEncodingId => EncodingId;

    public void Encode(BinaryEncoder encoder)
    {
        encoder.WriteEnum(Trigger);
        encoder.WriteUInt32(DeadbandType);
        encoder.WriteDouble(DeadbandValue);
    }

    public static DataChangeFilter Decode(BinaryDecoder decoder) => new(
        decoder.ReadEnum<DataChangeTrigger>(),
        decoder.ReadUInt32(),
        decoder.ReadDouble());
}

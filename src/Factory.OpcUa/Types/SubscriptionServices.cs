// OPC 10000-4, 5.13 (Subscription Service Set) and 7.20 (NotificationData): binary layouts as the specification's type schema defines them.
using Factory.OpcUa.Encoding;

namespace Factory.OpcUa.Types;

public sealed record CreateSubscriptionRequest(
    RequestHeader RequestHeader,
    double RequestedPublishingInterval = 0,
    uint RequestedLifetimeCount = 0,
    uint RequestedMaxKeepAliveCount = 0,
    uint MaxNotificationsPerPublish = 0,
    bool PublishingEnabled = false,
    byte Priority = 0)
    : IServiceRequest, IEncodeable<CreateSubscriptionRequest>
{
    public static NodeId EncodingId => new(787);

    public NodeId BinaryEncodingId => EncodingId;

    public IServiceRequest WithRequestHeader(RequestHeader header) => this with { RequestHeader = header };

    public void Encode(BinaryEncoder encoder)
    {
        encoder.WriteEncodeable(RequestHeader);
        encoder.WriteDouble(RequestedPublishingInterval);
        encoder.WriteUInt32(RequestedLifetimeCount);
        encoder.WriteUInt32(RequestedMaxKeepAliveCount);
        encoder.WriteUInt32(MaxNotificationsPerPublish);
        encoder.WriteBoolean(PublishingEnabled);
        encoder.WriteByte(Priority);
    }

    public static CreateSubscriptionRequest Decode(BinaryDecoder decoder) => new(
        decoder.ReadEncodeable<RequestHeader>(),
        decoder.ReadDouble(),
        decoder.ReadUInt32(),
        decoder.ReadUInt32(),
        decoder.ReadUInt32(),
        decoder.ReadBoolean(),
        decoder.ReadByte());
}

public sealed record CreateSubscriptionResponse(
    ResponseHeader ResponseHeader,
    uint SubscriptionId = 0,
    double RevisedPublishingInterval = 0,
    uint RevisedLifetimeCount = 0,
    uint RevisedMaxKeepAliveCount = 0)
    : IServiceResponse, IEncodeable<CreateSubscriptionResponse>
{
    public static NodeId EncodingId => new(790);

    public NodeId BinaryEncodingId => EncodingId;

    public void Encode(BinaryEncoder encoder)
    {
        encoder.WriteEncodeable(ResponseHeader);
        encoder.WriteUInt32(SubscriptionId);
        encoder.WriteDouble(RevisedPublishingInterval);
        encoder.WriteUInt32(RevisedLifetimeCount);
        encoder.WriteUInt32(RevisedMaxKeepAliveCount);
    }

    public static CreateSubscriptionResponse Decode(BinaryDecoder decoder) => new(
        decoder.ReadEncodeable<ResponseHeader>(),
        decoder.ReadUInt32(),
        decoder.ReadDouble(),
        decoder.ReadUInt32(),
        decoder.ReadUInt32());
}

public sealed record ModifySubscriptionRequest(
    RequestHeader RequestHeader,
    uint SubscriptionId = 0,
    double RequestedPublishingInterval = 0,
    uint RequestedLifetimeCount = 0,
    uint RequestedMaxKeepAliveCount = 0,
    uint MaxNotificationsPerPublish = 0,
    byte Priority = 0)
    : IServiceRequest, IEncodeable<ModifySubscriptionRequest>
{
    public static NodeId EncodingId => new(793);

    public NodeId BinaryEncodingId => EncodingId;

    public IServiceRequest WithRequestHeader(RequestHeader header) => this with { RequestHeader = header };

    public void Encode(BinaryEncoder encoder)
    {
        encoder.WriteEncodeable(RequestHeader);
        encoder.WriteUInt32(SubscriptionId);
        encoder.WriteDouble(RequestedPublishingInterval);
        encoder.WriteUInt32(RequestedLifetimeCount);
        encoder.WriteUInt32(RequestedMaxKeepAliveCount);
        encoder.WriteUInt32(MaxNotificationsPerPublish);
        encoder.WriteByte(Priority);
    }

    public static ModifySubscriptionRequest Decode(BinaryDecoder decoder) => new(
        decoder.ReadEncodeable<RequestHeader>(),
        decoder.ReadUInt32(),
        decoder.ReadDouble(),
        decoder.ReadUInt32(),
        decoder.ReadUInt32(),
        decoder.ReadUInt32(),
        decoder.ReadByte());
}

public sealed record ModifySubscriptionResponse(
    ResponseHeader ResponseHeader,
    double RevisedPublishingInterval = 0,
    uint RevisedLifetimeCount = 0,
    uint RevisedMaxKeepAliveCount = 0)
    : IServiceResponse, IEncodeable<ModifySubscriptionResponse>
{
    public static NodeId EncodingId => new(796);

    public NodeId BinaryEncodingId => EncodingId;

    public void Encode(BinaryEncoder encoder)
    {
        encoder.WriteEncodeable(ResponseHeader);
        encoder.WriteDouble(RevisedPublishingInterval);
        encoder.WriteUInt32(RevisedLifetimeCount);
        encoder.WriteUInt32(RevisedMaxKeepAliveCount);
    }

    public static ModifySubscriptionResponse Decode(BinaryDecoder decoder) => new(
        decoder.ReadEncodeable<ResponseHeader>(),
        decoder.ReadDouble(),
        decoder.ReadUInt32(),
        decoder.ReadUInt32());
}

public sealed record SetPublishingModeRequest(
    RequestHeader RequestHeader,
    bool PublishingEnabled = false,
    uint[]? SubscriptionIds = null)
    : IServiceRequest, IEncodeable<SetPublishingModeRequest>
{
    public static NodeId EncodingId => new(799);

    public NodeId BinaryEncodingId => EncodingId;

    public IServiceRequest WithRequestHeader(RequestHeader header) => this with { RequestHeader = header };

    public void Encode(BinaryEncoder encoder)
    {
        encoder.WriteEncodeable(RequestHeader);
        encoder.WriteBoolean(PublishingEnabled);
        encoder.WriteUInt32Array(SubscriptionIds);
    }

    public static SetPublishingModeRequest Decode(BinaryDecoder decoder) => new(
        decoder.ReadEncodeable<RequestHeader>(),
        decoder.ReadBoolean(),
        decoder.ReadUInt32Array());
}

public sealed record SetPublishingModeResponse(
    ResponseHeader ResponseHeader,
    StatusCode[]? Results = null,
    DiagnosticInfo?[]? DiagnosticInfos = null)
    : IServiceResponse, IEncodeable<SetPublishingModeResponse>
{
    public static NodeId EncodingId => new(802);

    public NodeId BinaryEncodingId => EncodingId;

    public void Encode(BinaryEncoder encoder)
    {
        encoder.WriteEncodeable(ResponseHeader);
        encoder.WriteStatusCodeArray(Results);
        encoder.WriteDiagnosticInfoArray(DiagnosticInfos);
    }

    public static SetPublishingModeResponse Decode(BinaryDecoder decoder) => new(
        decoder.ReadEncodeable<ResponseHeader>(),
        decoder.ReadStatusCodeArray(),
        decoder.ReadDiagnosticInfoArray());
}

public sealed record PublishRequest(
    RequestHeader RequestHeader,
    SubscriptionAcknowledgement[]? SubscriptionAcknowledgements = null)
    : IServiceRequest, IEncodeable<PublishRequest>
{
    public static NodeId EncodingId => new(826);

    public NodeId BinaryEncodingId => EncodingId;

    public IServiceRequest WithRequestHeader(RequestHeader header) => this with { RequestHeader = header };

    public void Encode(BinaryEncoder encoder)
    {
        encoder.WriteEncodeable(RequestHeader);
        encoder.WriteEncodeableArray(SubscriptionAcknowledgements);
    }

    public static PublishRequest Decode(BinaryDecoder decoder) => new(
        decoder.ReadEncodeable<RequestHeader>(),
        decoder.ReadEncodeableArray<SubscriptionAcknowledgement>());
}

public sealed record PublishResponse(
    ResponseHeader ResponseHeader,
    uint SubscriptionId,
    uint[]? AvailableSequenceNumbers,
    bool MoreNotifications,
    NotificationMessage NotificationMessage,
    StatusCode[]? Results = null,
    DiagnosticInfo?[]? DiagnosticInfos = null)
    : IServiceResponse, IEncodeable<PublishResponse>
{
    public static NodeId EncodingId => new(829);

    public NodeId BinaryEncodingId => EncodingId;

    public void Encode(BinaryEncoder encoder)
    {
        encoder.WriteEncodeable(ResponseHeader);
        encoder.WriteUInt32(SubscriptionId);
        encoder.WriteUInt32Array(AvailableSequenceNumbers);
        encoder.WriteBoolean(MoreNotifications);
        encoder.WriteEncodeable(NotificationMessage);
        encoder.WriteStatusCodeArray(Results);
        encoder.WriteDiagnosticInfoArray(DiagnosticInfos);
    }

    public static PublishResponse Decode(BinaryDecoder decoder) => new(
        decoder.ReadEncodeable<ResponseHeader>(),
        decoder.ReadUInt32(),
        decoder.ReadUInt32Array(),
        decoder.ReadBoolean(),
        decoder.ReadEncodeable<NotificationMessage>(),
        decoder.ReadStatusCodeArray(),
        decoder.ReadDiagnosticInfoArray());
}

public sealed record RepublishRequest(
    RequestHeader RequestHeader,
    uint SubscriptionId = 0,
    uint RetransmitSequenceNumber = 0)
    : IServiceRequest, IEncodeable<RepublishRequest>
{
    public static NodeId EncodingId => new(832);

    public NodeId BinaryEncodingId => EncodingId;

    public IServiceRequest WithRequestHeader(RequestHeader header) => this with { RequestHeader = header };

    public void Encode(BinaryEncoder encoder)
    {
        encoder.WriteEncodeable(RequestHeader);
        encoder.WriteUInt32(SubscriptionId);
        encoder.WriteUInt32(RetransmitSequenceNumber);
    }

    public static RepublishRequest Decode(BinaryDecoder decoder) => new(
        decoder.ReadEncodeable<RequestHeader>(),
        decoder.ReadUInt32(),
        decoder.ReadUInt32());
}

public sealed record RepublishResponse(
    ResponseHeader ResponseHeader,
    NotificationMessage NotificationMessage)
    : IServiceResponse, IEncodeable<RepublishResponse>
{
    public static NodeId EncodingId => new(835);

    public NodeId BinaryEncodingId => EncodingId;

    public void Encode(BinaryEncoder encoder)
    {
        encoder.WriteEncodeable(ResponseHeader);
        encoder.WriteEncodeable(NotificationMessage);
    }

    public static RepublishResponse Decode(BinaryDecoder decoder) => new(
        decoder.ReadEncodeable<ResponseHeader>(),
        decoder.ReadEncodeable<NotificationMessage>());
}

public sealed record TransferSubscriptionsRequest(
    RequestHeader RequestHeader,
    uint[]? SubscriptionIds = null,
    bool SendInitialValues = false)
    : IServiceRequest, IEncodeable<TransferSubscriptionsRequest>
{
    public static NodeId EncodingId => new(841);

    public NodeId BinaryEncodingId => EncodingId;

    public IServiceRequest WithRequestHeader(RequestHeader header) => this with { RequestHeader = header };

    public void Encode(BinaryEncoder encoder)
    {
        encoder.WriteEncodeable(RequestHeader);
        encoder.WriteUInt32Array(SubscriptionIds);
        encoder.WriteBoolean(SendInitialValues);
    }

    public static TransferSubscriptionsRequest Decode(BinaryDecoder decoder) => new(
        decoder.ReadEncodeable<RequestHeader>(),
        decoder.ReadUInt32Array(),
        decoder.ReadBoolean());
}

public sealed record TransferSubscriptionsResponse(
    ResponseHeader ResponseHeader,
    TransferResult[]? Results = null,
    DiagnosticInfo?[]? DiagnosticInfos = null)
    : IServiceResponse, IEncodeable<TransferSubscriptionsResponse>
{
    public static NodeId EncodingId => new(844);

    public NodeId BinaryEncodingId => EncodingId;

    public void Encode(BinaryEncoder encoder)
    {
        encoder.WriteEncodeable(ResponseHeader);
        encoder.WriteEncodeableArray(Results);
        encoder.WriteDiagnosticInfoArray(DiagnosticInfos);
    }

    public static TransferSubscriptionsResponse Decode(BinaryDecoder decoder) => new(
        decoder.ReadEncodeable<ResponseHeader>(),
        decoder.ReadEncodeableArray<TransferResult>(),
        decoder.ReadDiagnosticInfoArray());
}

public sealed record TransferResult(
    StatusCode StatusCode = default,
    uint[]? AvailableSequenceNumbers = null)
    : IEncodeable<TransferResult>
{
    public static NodeId EncodingId => new(838);

    public NodeId BinaryEncodingId => EncodingId;

    public void Encode(BinaryEncoder encoder)
    {
        encoder.WriteStatusCode(StatusCode);
        encoder.WriteUInt32Array(AvailableSequenceNumbers);
    }

    public static TransferResult Decode(BinaryDecoder decoder) => new(
        decoder.ReadStatusCode(),
        decoder.ReadUInt32Array());
}

public sealed record DeleteSubscriptionsRequest(
    RequestHeader RequestHeader,
    uint[]? SubscriptionIds = null)
    : IServiceRequest, IEncodeable<DeleteSubscriptionsRequest>
{
    public static NodeId EncodingId => new(847);

    public NodeId BinaryEncodingId => EncodingId;

    public IServiceRequest WithRequestHeader(RequestHeader header) => this with { RequestHeader = header };

    public void Encode(BinaryEncoder encoder)
    {
        encoder.WriteEncodeable(RequestHeader);
        encoder.WriteUInt32Array(SubscriptionIds);
    }

    public static DeleteSubscriptionsRequest Decode(BinaryDecoder decoder) => new(
        decoder.ReadEncodeable<RequestHeader>(),
        decoder.ReadUInt32Array());
}

public sealed record DeleteSubscriptionsResponse(
    ResponseHeader ResponseHeader,
    StatusCode[]? Results = null,
    DiagnosticInfo?[]? DiagnosticInfos = null)
    : IServiceResponse, IEncodeable<DeleteSubscriptionsResponse>
{
    public static NodeId EncodingId => new(850);

    public NodeId BinaryEncodingId => EncodingId;

    public void Encode(BinaryEncoder encoder)
    {
        encoder.WriteEncodeable(ResponseHeader);
        encoder.WriteStatusCodeArray(Results);
        encoder.WriteDiagnosticInfoArray(DiagnosticInfos);
    }

    public static DeleteSubscriptionsResponse Decode(BinaryDecoder decoder) => new(
        decoder.ReadEncodeable<ResponseHeader>(),
        decoder.ReadStatusCodeArray(),
        decoder.ReadDiagnosticInfoArray());
}

public sealed record NotificationMessage(
    uint SequenceNumber = 0,
    DateTime PublishTime = default,
    ExtensionObject[]? NotificationData = null)
    : IEncodeable<NotificationMessage>
{
    public static NodeId EncodingId => new(805);

    public NodeId BinaryEncodingId => EncodingId;

    public void Encode(BinaryEncoder encoder)
    {
        encoder.WriteUInt32(SequenceNumber);
        encoder.WriteDateTime(PublishTime);
        encoder.WriteExtensionObjectArray(NotificationData);
    }

    public static NotificationMessage Decode(BinaryDecoder decoder) => new(
        decoder.ReadUInt32(),
        decoder.ReadDateTime(),
        decoder.ReadExtensionObjectArray());
}

public sealed record DataChangeNotification(
    MonitoredItemNotification[]? MonitoredItems = null,
    DiagnosticInfo?[]? DiagnosticInfos = null)
    : INotificationData, IEncodeable<DataChangeNotification>
{
    public static NodeId EncodingId => new(811);

    public NodeId BinaryEncodingId => EncodingId;

    public void Encode(BinaryEncoder encoder)
    {
        encoder.WriteEncodeableArray(MonitoredItems);
        encoder.WriteDiagnosticInfoArray(DiagnosticInfos);
    }

    public static DataChangeNotification Decode(BinaryDecoder decoder) => new(
        decoder.ReadEncodeableArray<MonitoredItemNotification>(),
        decoder.ReadDiagnosticInfoArray());
}

public readonly record struct MonitoredItemNotification(
    uint ClientHandle = 0,
    DataValue Value = default)
    : IEncodeable<MonitoredItemNotification>
{
    public static NodeId EncodingId => new(808);

    public NodeId BinaryEncodingId => EncodingId;

    public void Encode(BinaryEncoder encoder)
    {
        encoder.WriteUInt32(ClientHandle);
        encoder.WriteDataValue(Value);
    }

    public static MonitoredItemNotification Decode(BinaryDecoder decoder) => new(
        decoder.ReadUInt32(),
        decoder.ReadDataValue());
}

public sealed record EventNotificationList(
    EventFieldList[]? Events = null)
    : INotificationData, IEncodeable<EventNotificationList>
{
    public static NodeId EncodingId => new(916);

    public NodeId BinaryEncodingId => EncodingId;

    public void Encode(BinaryEncoder encoder)
    {
        encoder.WriteEncodeableArray(Events);
    }

    public static EventNotificationList Decode(BinaryDecoder decoder) => new(
        decoder.ReadEncodeableArray<EventFieldList>());
}

public sealed record EventFieldList(
    uint ClientHandle = 0,
    Variant[]? EventFields = null)
    : IEncodeable<EventFieldList>
{
    public static NodeId EncodingId => new(919);

    public NodeId BinaryEncodingId => EncodingId;

    public void Encode(BinaryEncoder encoder)
    {
        encoder.WriteUInt32(ClientHandle);
        encoder.WriteVariantArray(EventFields);
    }

    public static EventFieldList Decode(BinaryDecoder decoder) => new(
        decoder.ReadUInt32(),
        decoder.ReadVariantArray());
}

public sealed record StatusChangeNotification(
    StatusCode Status = default,
    DiagnosticInfo? DiagnosticInfo = null)
    : INotificationData, IEncodeable<StatusChangeNotification>
{
    public static NodeId EncodingId => new(820);

    public NodeId BinaryEncodingId => EncodingId;

    public void Encode(BinaryEncoder encoder)
    {
        encoder.WriteStatusCode(Status);
        encoder.WriteDiagnosticInfo(DiagnosticInfo);
    }

    public static StatusChangeNotification Decode(BinaryDecoder decoder) => new(
        decoder.ReadStatusCode(),
        decoder.ReadDiagnosticInfo());
}

public readonly record struct SubscriptionAcknowledgement(
    uint SubscriptionId = 0,
    uint SequenceNumber = 0)
    : IEncodeable<SubscriptionAcknowledgement>
{
    public static NodeId EncodingId => new(823);

    public NodeId BinaryEncodingId => EncodingId;

    public void Encode(BinaryEncoder encoder)
    {
        encoder.WriteUInt32(SubscriptionId);
        encoder.WriteUInt32(SequenceNumber);
    }

    public static SubscriptionAcknowledgement Decode(BinaryDecoder decoder) => new(
        decoder.ReadUInt32(),
        decoder.ReadUInt32());
}

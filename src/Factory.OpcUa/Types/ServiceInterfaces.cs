using Factory.OpcUa.Encoding;

namespace Factory.OpcUa.Types;

/// <summary>A service request: every one starts with a <see cref="Types.RequestHeader"/> (OPC 10000-4, 7.33).</summary>
public interface IServiceRequest : IEncodeable
{
    RequestHeader RequestHeader { get; }

    /// <summary>The same request with another header: how a client stamps handle, token and timeout.</summary>
    IServiceRequest WithRequestHeader(RequestHeader header);
}

/// <summary>A service response: every one starts with a <see cref="Types.ResponseHeader"/> (OPC 10000-4, 7.34).</summary>
public interface IServiceResponse : IEncodeable
{
    ResponseHeader ResponseHeader { get; }
}

/// <summary>A user identity token of ActivateSession (OPC 10000-4, 7.41).</summary>
public interface IUserIdentityToken : IEncodeable
{
    string? PolicyId { get; }
}

/// <summary>A NotificationData of a NotificationMessage (OPC 10000-4, 7.20).</summary>
public interface INotificationData : IEncodeable;

/// <summary>A MonitoringFilter of a monitored item (OPC 10000-4, 7.22).</summary>
public interface IMonitoringFilter : IEncodeable;

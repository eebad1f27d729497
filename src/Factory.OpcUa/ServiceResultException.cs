using Factory.OpcUa.Encoding;

namespace Factory.OpcUa;

/// <summary>
/// An OPC UA operation failed with a status code: a decoding error, a transport error (the
/// status the peer or this side put in an ERR message), or a bad service result.
/// </summary>
public class ServiceResultException : Exception
{
    public ServiceResultException(StatusCode statusCode, string message)
        : base($"{statusCode.Name}: {message}") => StatusCode = statusCode;

    public ServiceResultException(StatusCode statusCode, string message, Exception innerException)
        : base($"{statusCode.Name}: {message}", innerException) => StatusCode = statusCode;

    public ServiceResultException(StatusCode statusCode)
        : base(statusCode.Name) => StatusCode = statusCode;

    public ServiceResultException()
        : this(StatusCodes.Bad) { }

    public ServiceResultException(string message)
        : this(StatusCodes.Bad, message) { }

    public ServiceResultException(string message, Exception innerException)
        : this(StatusCodes.Bad, message, innerException) { }

    public StatusCode StatusCode { get; }
}

/// <summary>
/// Bytes that do not form a valid message of the binary encoding (OPC 10000-6, 5.2): always
/// <c>BadDecodingError</c> or <c>BadEncodingLimitsExceeded</c>, with the position where decoding stopped.
/// </summary>
public sealed class DecodingException : ServiceResultException
{
    public DecodingException(StatusCode statusCode, string message, int position)
        : base(statusCode, $"{message} (at byte {position})") => Position = position;

    public DecodingException() : this(StatusCodes.BadDecodingError, "invalid encoding", 0) { }

    public DecodingException(string message) : this(StatusCodes.BadDecodingError, message, 0) { }

    public DecodingException(string message, Exception innerException)
        : base(StatusCodes.BadDecodingError, message, innerException) { }

    public int Position { get; }
}

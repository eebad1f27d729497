using Factory.OpcUa.Encoding;
using Factory.OpcUa.Security;
using Factory.OpcUa.Transport;
using Factory.OpcUa.Types;

namespace Factory.OpcUa.Fuzz;

/// <summary>
/// What a connection reads from the network (OPC 10000-6, 7.1.2 and 6.7.2): a stream of UA TCP
/// frames, each parsed by its header, Hello/Acknowledge/Error bodies, secure channel chunks
/// reassembled by the codec with the receive limits, and complete messages decoded. Refusals are
/// the transport's documented statuses (a <see cref="ServiceResultException"/> with a Bad code);
/// the end of the stream is the normal end.
/// </summary>
public sealed class UaTcpTarget : IFuzzTarget
{
    private static readonly NegotiatedLimits Limits = new(65535, 65535, 1024 * 1024, 64, 0, 0);

    public string Name => "uatcp";

    public IEnumerable<byte[]> Corpus(RandomValues values)
    {
        yield return Frame(TcpMessageType.Hello, e => new HelloMessage(0, 65535, 65535, 0, 0, "opc.tcp://127.0.0.1:4840/line-1").Encode(e));
        yield return Frame(TcpMessageType.Acknowledge, e => new AcknowledgeMessage(0, 65535, 65535, 16 * 1024 * 1024, 4096).Encode(e));
        yield return Frame(TcpMessageType.Error, e => new ErrorMessage(StatusCodes.BadTcpServerTooBusy, "busy").Encode(e));

        var open = new OpenSecureChannelRequest(new RequestHeader(), 0, SecurityTokenRequestType.Issue, MessageSecurityMode.None, [], 60000);
        yield return Sealed(TcpMessageType.OpenSecureChannel, open, AsymmetricSecurityHeader.None, sendBuffer: 65535);

        var read = new ReadRequest(new RequestHeader(), 0, TimestampsToReturn.Both, [new ReadValueId(new NodeId("line-1.cnc-1.speed", 2), AttributeIds.Value)]);
        yield return Sealed(TcpMessageType.Message, read, null, sendBuffer: 65535);

        // A Publish response in several chunks, as a server sends one with many changes.
        var changes = Enumerable.Range(1, 400)
            .Select(i => new MonitoredItemNotification((uint)i, new DataValue(new Variant(values.Random.Next(0, 10_000) / 10.0), default, new DateTime(2026, 11, 28, 10, 0, 0, DateTimeKind.Utc).AddMilliseconds(i), new DateTime(2026, 11, 28, 10, 0, 0, DateTimeKind.Utc))))
            .ToArray();
        var publish = new PublishResponse(new ResponseHeader(), 7, [1, 2], false,
            new NotificationMessage(3, new DateTime(2026, 11, 28, 10, 0, 1, DateTimeKind.Utc), [new ExtensionObject(new DataChangeNotification(changes, null))]), [], null);
        yield return Sealed(TcpMessageType.Message, publish, null, sendBuffer: 8192);

        yield return [.. Frame(TcpMessageType.Hello, e => new HelloMessage(0, 8192, 8192, 0, 0, null).Encode(e)), .. Sealed(TcpMessageType.Message, read, null, sendBuffer: 65535)];
    }

    public void Run(byte[] input)
    {
        using var stream = new MemoryStream(input, writable: false);
        var frames = new UaTcpFrameStream(stream, TimeSpan.FromSeconds(10));
        var codec = new SecureChannelCodec(Limits);
        try
        {
            while (true)
            {
                using var frame = frames.ReadFrameAsync(Limits.ReceiveBufferSize, CancellationToken.None).GetAwaiter().GetResult();
                var decoder = new BinaryDecoder(frame.Body);
                switch (frame.MessageType)
                {
                    case TcpMessageType.Hello:
                        HelloMessage.Decode(decoder);
                        break;
                    case TcpMessageType.Acknowledge:
                        AcknowledgeMessage.Decode(decoder);
                        break;
                    case TcpMessageType.Error:
                        ErrorMessage.Decode(decoder);
                        break;
                    case TcpMessageType.OpenSecureChannel:
                    case TcpMessageType.Message:
                    case TcpMessageType.CloseSecureChannel:
                        using (var message = codec.Receive(frame))
                        {
                            if (message is { Abort: null })
                            {
                                new BinaryDecoder(message.Body, StandardTypes.All).ReadMessage();
                            }
                        }

                        break;
                }
            }
        }
        catch (ServiceResultException e) when (e.StatusCode.CodeBits == StatusCodes.BadConnectionClosed)
        {
            // The stream ended between frames: everything in it was read.
        }
        finally
        {
            codec.Reset();
        }
    }

    public bool IsRejection(Exception exception) => exception is ServiceResultException { StatusCode.IsBad: true };

    private static byte[] Frame(uint type, Action<BinaryEncoder> body)
    {
        using var encoder = UaTcpFrameStream.BuildFrame(type, body);
        return encoder.ToArray();
    }

    private static byte[] Sealed(uint type, IEncodeable message, AsymmetricSecurityHeader? header, uint sendBuffer)
    {
        var codec = new SecureChannelCodec(Limits with { SendBufferSize = sendBuffer });
        using var outgoing = SecureChannelCodec.Encode(type, message, header);
        return codec.Seal(outgoing, 1, type == TcpMessageType.OpenSecureChannel ? 0u : 1u, 1, StatusCodes.BadRequestTooLarge).ToArray();
    }
}

namespace Havale.Client;

/// <summary>A Kilid order's <c>status</c>. <see cref="Unknown"/> is a value this version of the client does not know yet.</summary>
[JsonConverter(typeof(OrderStatusConverter))]
public enum OrderStatus { Unknown, Created, Pending, Signed, InProgress, Done, Deleted }

/// <summary>A Kilid row's <c>state</c>. <see cref="Unknown"/> is a value this version of the client does not know yet.</summary>
[JsonConverter(typeof(RowStateConverter))]
public enum RowState { Unknown, Ready, Wait, Success, Failed }

/// <summary>A Kilid row's <c>transfer_type</c>. <see cref="Unknown"/> is a value this version of the client does not know yet.</summary>
[JsonConverter(typeof(TransferTypeConverter))]
public enum TransferType { Unknown, Internal, Paya }

/// <summary>A Kilid history entry's <c>action</c>. <see cref="Unknown"/> is a value this version of the client does not know yet.</summary>
[JsonConverter(typeof(OrderActionConverter))]
public enum OrderAction { Unknown, Create, Sign, Edit, Pay, Unsign, Delete }

/// <summary>A Pol payment's <c>state</c> as instantPayment answers it. <see cref="Unknown"/> is a value this client does not know yet.</summary>
[JsonConverter(typeof(PaymentStateConverter))]
public enum PaymentState { Unknown, Done, Failed }

/// <summary>
/// transactionInquiry's <c>state</c>. The wire's own <c>UNKNOWN</c> (the bank has not answered yet) is
/// <see cref="Unresolved"/>; <see cref="Unknown"/> is, as in every enum of this client, a value it does not know yet.
/// </summary>
[JsonConverter(typeof(TransactionStateConverter))]
public enum TransactionState { Unknown, Done, Failed, Pending, Unresolved }

/// <summary>A token's <c>type</c>.</summary>
[JsonConverter(typeof(TokenTypeConverter))]
public enum TokenType { Unknown, Code, ClientCredential }

/// <summary>One enum's wire names, both ways; an unlisted name reads as the enum's default, <c>Unknown</c>.</summary>
internal abstract class WireEnumConverter<T>(params (T Value, string Name)[] names) : JsonConverter<T>
    where T : struct, Enum
{
    public override T Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType == JsonTokenType.Null)
        {
            return default;
        }
        if (reader.TokenType != JsonTokenType.String)
        {
            throw new JsonException($"{typeof(T).Name} is a string on the wire");
        }
        var text = reader.GetString();
        foreach (var (value, name) in names)
        {
            if (string.Equals(name, text, StringComparison.OrdinalIgnoreCase))
            {
                return value;
            }
        }
        return default;
    }

    public override void Write(Utf8JsonWriter writer, T value, JsonSerializerOptions options) => writer.WriteStringValue(NameOf(value));

    public string NameOf(T value)
    {
        foreach (var (known, name) in names)
        {
            if (EqualityComparer<T>.Default.Equals(known, value))
            {
                return name;
            }
        }
        throw new ArgumentOutOfRangeException(nameof(value), value, $"{typeof(T).Name}.{value} has no wire name");
    }
}

internal sealed class OrderStatusConverter() : WireEnumConverter<OrderStatus>((OrderStatus.Created, "created"), (OrderStatus.Pending, "pending"),
    (OrderStatus.Signed, "signed"), (OrderStatus.InProgress, "inprogress"), (OrderStatus.Done, "done"), (OrderStatus.Deleted, "deleted"));

internal sealed class RowStateConverter() : WireEnumConverter<RowState>((RowState.Ready, "ready"), (RowState.Wait, "wait"),
    (RowState.Success, "success"), (RowState.Failed, "failed"));

internal sealed class TransferTypeConverter() : WireEnumConverter<TransferType>((TransferType.Internal, "internal"), (TransferType.Paya, "paya"));

internal sealed class OrderActionConverter() : WireEnumConverter<OrderAction>((OrderAction.Create, "create"), (OrderAction.Sign, "sign"),
    (OrderAction.Edit, "edit"), (OrderAction.Pay, "pay"), (OrderAction.Unsign, "unsign"), (OrderAction.Delete, "delete"));

internal sealed class PaymentStateConverter() : WireEnumConverter<PaymentState>((PaymentState.Done, "DONE"), (PaymentState.Failed, "FAILED"));

internal sealed class TransactionStateConverter() : WireEnumConverter<TransactionState>((TransactionState.Done, "DONE"),
    (TransactionState.Failed, "FAILED"), (TransactionState.Pending, "PENDING"), (TransactionState.Unresolved, "UNKNOWN"));

internal sealed class TokenTypeConverter() : WireEnumConverter<TokenType>((TokenType.Code, "CODE"), (TokenType.ClientCredential, "CLIENT-CREDENTIAL"));

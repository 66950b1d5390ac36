using System.Buffers.Binary;
using System.Globalization;
using System.Numerics;
using System.Text;

namespace GaussQuant.Checkpoints.Pickle;

/// <summary>
/// A bounded interpreter of Python's pickle format, protocols 0 to 5. It imports nothing and runs no code: globals
/// are only names, and every call goes to an <see cref="IPickleResolver"/>. Lengths are checked against the bytes
/// left before anything is allocated, the value stack and memo have fixed ceilings, and the interpreter never
/// recurses, so hostile or corrupt input ends in an <see cref="InvalidDataException"/>, not a crash or a hang.
/// </summary>
internal sealed class PickleReader
{
    private const int MaxStackDepth = 1_000_000;
    private const int MaxMemoEntries = 4_000_000;
    private const int MaxDecimalDigits = 4300; // Python's own default limit on int <-> str conversions

    private readonly byte[] data;
    private readonly IPickleResolver resolver;
    private readonly List<object?> stack = [];
    private readonly List<int> marks = [];
    private readonly Dictionary<long, object?> memo = [];
    private int position;

    private PickleReader(byte[] data, IPickleResolver resolver)
    {
        this.data = data;
        this.resolver = resolver;
    }

    /// <summary>Reads one pickled object from <paramref name="data"/>; errors name <paramref name="source"/> and the byte offset.</summary>
    public static object? Load(byte[] data, string source, IPickleResolver resolver) => Load(data, 0, source, resolver, out _);

    /// <summary>
    /// Reads the pickle that begins at byte <paramref name="start"/> of <paramref name="data"/>, with a memo of its
    /// own; <paramref name="end"/> is the offset just past its STOP opcode, where a following pickle would begin.
    /// </summary>
    public static object? Load(byte[] data, int start, string source, IPickleResolver resolver, out int end)
    {
        var reader = new PickleReader(data, resolver) { position = start };
        int opcodeStart = start;
        try
        {
            while (true)
            {
                opcodeStart = reader.position;
                if (reader.Step())
                {
                    end = reader.position;
                    return reader.Pop();
                }
            }
        }
        catch (Exception error) when (error is InvalidDataException or OverflowException or FormatException or DecoderFallbackException)
        {
            throw new InvalidDataException($"{source}: invalid pickle at byte {opcodeStart}: {error.Message}", error);
        }
    }

    /// <summary>Executes one opcode; true at STOP.</summary>
    private bool Step()
    {
        byte opcode = ReadByte();
        switch (opcode)
        {
            case 0x80: // PROTO
                if (ReadByte() > 5) throw new InvalidDataException("unsupported pickle protocol");
                break;
            case 0x95: // FRAME: framing only groups opcodes for buffered reading; the length is advisory here
                if (ReadUInt64() > (ulong)(data.Length - position)) throw new InvalidDataException("frame longer than the data");
                break;
            case (byte)'.': return true; // STOP
            case (byte)'(': // MARK
                if (marks.Count >= MaxStackDepth) throw new InvalidDataException("too many nested marks");
                marks.Add(stack.Count);
                break;
            case (byte)'0': Pop(); break; // POP
            case (byte)'1': PopMark(); break; // POP_MARK
            case (byte)'2': Push(Peek()); break; // DUP

            case (byte)'N': Push(null); break;
            case 0x88: Push(true); break; // NEWTRUE
            case 0x89: Push(false); break; // NEWFALSE
            case (byte)'J': Push((long)BinaryPrimitives.ReadInt32LittleEndian(Take(4))); break; // BININT
            case (byte)'K': Push((long)ReadByte()); break; // BININT1
            case (byte)'M': Push((long)BinaryPrimitives.ReadUInt16LittleEndian(Take(2))); break; // BININT2
            case 0x8a: Push(ReadLittleEndianInteger(ReadByte())); break; // LONG1
            case 0x8b: Push(ReadLittleEndianInteger(ReadLength(4))); break; // LONG4
            case (byte)'I': Push(ParseTextInteger(ReadLine(), allowBoolean: true)); break; // INT
            case (byte)'L': Push(ParseTextInteger(ReadLine().TrimEnd('L'), allowBoolean: false)); break; // LONG
            case (byte)'G': Push(BinaryPrimitives.ReadDoubleBigEndian(Take(8))); break; // BINFLOAT
            case (byte)'F': Push(double.Parse(ReadLine(), NumberStyles.Float, CultureInfo.InvariantCulture)); break; // FLOAT

            case (byte)'X': Push(ReadUtf8(ReadLength(4))); break; // BINUNICODE
            case 0x8c: Push(ReadUtf8(ReadByte())); break; // SHORT_BINUNICODE
            case 0x8d: Push(ReadUtf8(ReadLength(8))); break; // BINUNICODE8
            case (byte)'V': Push(DecodeRawUnicodeEscape(ReadLine())); break; // UNICODE
            case (byte)'T': Push(Encoding.Latin1.GetString(Take(ReadLength(4)))); break; // BINSTRING (Python 2 str)
            case (byte)'U': Push(Encoding.Latin1.GetString(Take(ReadByte()))); break; // SHORT_BINSTRING
            case (byte)'S': Push(DecodeQuotedString(ReadLine())); break; // STRING
            case (byte)'B': Push(Take(ReadLength(4)).ToArray()); break; // BINBYTES
            case (byte)'C': Push(Take(ReadByte()).ToArray()); break; // SHORT_BINBYTES
            case 0x8e: Push(Take(ReadLength(8)).ToArray()); break; // BINBYTES8
            case 0x96: Push(Take(ReadLength(8)).ToArray()); break; // BYTEARRAY8

            case (byte)')': Push(new PythonTuple([])); break; // EMPTY_TUPLE
            case 0x85: Push(new PythonTuple(PopCount(1))); break; // TUPLE1
            case 0x86: Push(new PythonTuple(PopCount(2))); break; // TUPLE2
            case 0x87: Push(new PythonTuple(PopCount(3))); break; // TUPLE3
            case (byte)'t': Push(new PythonTuple(PopMark())); break; // TUPLE
            case (byte)']': Push(new List<object?>()); break; // EMPTY_LIST
            case (byte)'l': Push(new List<object?>(PopMark())); break; // LIST
            case (byte)'}': Push(new PythonDict()); break; // EMPTY_DICT
            case (byte)'d': Push(BuildDict(PopMark())); break; // DICT
            case 0x8f: Push(resolver.Call(new PythonGlobal("builtins", "set"), [])); break; // EMPTY_SET
            case 0x91: Push(resolver.Call(new PythonGlobal("builtins", "frozenset"), [new List<object?>(PopMark())])); break; // FROZENSET

            case (byte)'a': Append(Peek(1), [Pop()]); break; // APPEND
            case (byte)'e': { var items = PopMark(); Append(Peek(), items); break; } // APPENDS
            case 0x90: { var items = PopMark(); Append(Peek(), items); break; } // ADDITEMS
            case (byte)'s': { var value = Pop(); var key = Pop(); SetItems(Peek(), [key, value]); break; } // SETITEM
            case (byte)'u': { var items = PopMark(); SetItems(Peek(), items); break; } // SETITEMS

            case (byte)'c': Push(new PythonGlobal(ReadLine(), ReadLine())); break; // GLOBAL
            case 0x93: // STACK_GLOBAL
            {
                var name = Pop();
                var module = Pop();
                if (module is not string moduleName || name is not string globalName)
                    throw new InvalidDataException("STACK_GLOBAL needs two strings");
                Push(new PythonGlobal(moduleName, globalName));
                break;
            }
            case (byte)'R': // REDUCE
            {
                var arguments = Pop();
                Push(Call(Pop(), arguments));
                break;
            }
            case 0x81: // NEWOBJ: cls.__new__(cls, *args)
            {
                var arguments = Pop();
                Push(Call(Pop(), arguments));
                break;
            }
            case 0x92: // NEWOBJ_EX: keyword arguments are kept after the positional ones
            {
                var keywords = Pop();
                var arguments = Pop();
                var callable = Pop();
                Push(Call(callable, new PythonTuple([.. AsTuple(arguments).Items, keywords])));
                break;
            }
            case (byte)'i': // INST
            {
                var type = new PythonGlobal(ReadLine(), ReadLine());
                Push(resolver.Call(type, PopMark()));
                break;
            }
            case (byte)'o': // OBJ
            {
                var items = PopMark();
                if (items.Length == 0) throw new InvalidDataException("OBJ without a class");
                Push(Call(items[0], new PythonTuple(items[1..])));
                break;
            }
            case (byte)'b': Build(); break; // BUILD

            case (byte)'Q': Push(resolver.PersistentLoad(Pop())); break; // BINPERSID
            case (byte)'P': Push(resolver.PersistentLoad(ReadLine())); break; // PERSID

            case (byte)'h': Push(MemoGet(ReadByte())); break; // BINGET
            case (byte)'j': Push(MemoGet(BinaryPrimitives.ReadUInt32LittleEndian(Take(4)))); break; // LONG_BINGET
            case (byte)'g': Push(MemoGet(ParseMemoIndex(ReadLine()))); break; // GET
            case (byte)'q': MemoPut(ReadByte()); break; // BINPUT
            case (byte)'r': MemoPut(BinaryPrimitives.ReadUInt32LittleEndian(Take(4))); break; // LONG_BINPUT
            case (byte)'p': MemoPut(ParseMemoIndex(ReadLine())); break; // PUT
            case 0x94: MemoPut(memo.Count); break; // MEMOIZE

            case 0x82 or 0x83 or 0x84: throw new InvalidDataException("extension-registry opcodes (EXT1/2/4) are not supported");
            case 0x97 or 0x98: throw new InvalidDataException("out-of-band buffers (protocol 5 NEXT_BUFFER) are not supported");
            default: throw new InvalidDataException($"unknown opcode 0x{opcode:x2}");
        }
        return false;
    }

    private object? Call(object? callable, object? arguments)
    {
        if (callable is not PythonGlobal global)
            throw new InvalidDataException($"a call on {PythonValues.Describe(callable)}, which is not a class or function");
        return resolver.Call(global, AsTuple(arguments).Items);
    }

    private static PythonTuple AsTuple(object? arguments) =>
        arguments as PythonTuple ?? throw new InvalidDataException($"call arguments are {PythonValues.Describe(arguments)}, not a tuple");

    /// <summary>
    /// Keeps the state of opaque objects; the state of anything materialised (a state dict's <c>_metadata</c>, a
    /// tensor's Python attributes) is not needed and dropped.
    /// </summary>
    private void Build()
    {
        var state = Pop();
        if (Peek() is PythonObject instance) instance.State = state;
    }

    private static void Append(object? target, object?[] items)
    {
        switch (target)
        {
            case List<object?> list: list.AddRange(items); break;
            case PythonObject instance: instance.Items.AddRange(items); break;
            default: throw new InvalidDataException($"items appended to {PythonValues.Describe(target)}");
        }
    }

    private static void SetItems(object? target, object?[] items)
    {
        if (items.Length % 2 != 0) throw new InvalidDataException("SETITEMS with an odd number of items");
        for (int i = 0; i < items.Length; i += 2)
        {
            switch (target)
            {
                case PythonDict dict: dict.Set(items[i], items[i + 1]); break;
                case PythonObject instance: instance.Items.Add(new PythonTuple([items[i], items[i + 1]])); break;
                default: throw new InvalidDataException($"items set on {PythonValues.Describe(target)}");
            }
        }
    }

    private static PythonDict BuildDict(object?[] items)
    {
        var dict = new PythonDict();
        SetItems(dict, items);
        return dict;
    }

    private void Push(object? value)
    {
        if (stack.Count >= MaxStackDepth) throw new InvalidDataException("value stack too deep");
        stack.Add(value);
    }

    private object? Pop()
    {
        if (stack.Count == 0 || (marks.Count > 0 && stack.Count == marks[^1]))
            throw new InvalidDataException("stack underflow");
        var value = stack[^1];
        stack.RemoveAt(stack.Count - 1);
        return value;
    }

    private object? Peek(int below = 0)
    {
        int index = stack.Count - 1 - below;
        if (index < 0 || (marks.Count > 0 && index < marks[^1])) throw new InvalidDataException("stack underflow");
        return stack[index];
    }

    private object?[] PopCount(int count)
    {
        var items = new object?[count];
        for (int i = count - 1; i >= 0; i--) items[i] = Pop();
        return items;
    }

    private object?[] PopMark()
    {
        if (marks.Count == 0) throw new InvalidDataException("no MARK on the stack");
        int start = marks[^1];
        marks.RemoveAt(marks.Count - 1);
        var items = stack.GetRange(start, stack.Count - start).ToArray();
        stack.RemoveRange(start, stack.Count - start);
        return items;
    }

    private object? MemoGet(long index) =>
        memo.TryGetValue(index, out var value) ? value : throw new InvalidDataException($"memo entry {index} is not defined");

    private void MemoPut(long index)
    {
        if (memo.Count >= MaxMemoEntries && !memo.ContainsKey(index)) throw new InvalidDataException("too many memo entries");
        memo[index] = Peek();
    }

    private static long ParseMemoIndex(string text) =>
        long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out long index)
            ? index : throw new InvalidDataException($"bad memo index '{text}'");

    private byte ReadByte()
    {
        if (position >= data.Length) throw new InvalidDataException("the pickle ends before its STOP opcode (truncated?)");
        return data[position++];
    }

    private ReadOnlySpan<byte> Take(long count)
    {
        if (count < 0 || count > data.Length - position)
            throw new InvalidDataException($"a length of {count} bytes runs past the end of the data (truncated?)");
        var span = data.AsSpan(position, (int)count);
        position += (int)count;
        return span;
    }

    private ulong ReadUInt64() => BinaryPrimitives.ReadUInt64LittleEndian(Take(8));

    /// <summary>An unsigned length field of <paramref name="width"/> bytes, checked against the bytes that remain.</summary>
    private long ReadLength(int width)
    {
        ulong length = width == 4 ? BinaryPrimitives.ReadUInt32LittleEndian(Take(4)) : ReadUInt64();
        if (length > (ulong)(data.Length - position))
            throw new InvalidDataException($"a length of {length} bytes runs past the end of the data (truncated?)");
        return (long)length;
    }

    private string ReadUtf8(long count) => Encoding.UTF8.GetString(Take(count));

    private string ReadLine()
    {
        int end = Array.IndexOf(data, (byte)'\n', position);
        if (end < 0) throw new InvalidDataException("a text field has no end of line (truncated?)");
        string line = Encoding.Latin1.GetString(data, position, end - position);
        position = end + 1;
        return line.EndsWith('\r') ? line[..^1] : line;
    }

    private object ReadLittleEndianInteger(long count)
    {
        var bytes = Take(count);
        if (count <= 8)
        {
            long value = 0;
            for (int i = (int)count - 1; i >= 0; i--) value = (value << 8) | bytes[i];
            int unused = 64 - 8 * (int)count;
            return count == 0 ? 0L : (value << unused) >> unused; // sign-extend from the top byte read
        }
        var big = new BigInteger(bytes, isUnsigned: false, isBigEndian: false);
        return big >= long.MinValue && big <= long.MaxValue ? (long)big : big;
    }

    private static object ParseTextInteger(string text, bool allowBoolean)
    {
        if (allowBoolean && text == "01") return true;
        if (allowBoolean && text == "00") return false;
        if (text.Length > MaxDecimalDigits) throw new InvalidDataException("a decimal integer with too many digits");
        if (long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long small)) return small;
        var big = BigInteger.Parse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
        return big;
    }

    /// <summary>Protocol 0's <c>raw-unicode-escape</c>: Latin-1 text where only \uXXXX and \UXXXXXXXX are escapes.</summary>
    private static string DecodeRawUnicodeEscape(string text)
    {
        var builder = new StringBuilder(text.Length);
        for (int i = 0; i < text.Length; i++)
        {
            if (text[i] == '\\' && i + 1 < text.Length && (text[i + 1] == 'u' || text[i + 1] == 'U'))
            {
                int digits = text[i + 1] == 'u' ? 4 : 8;
                if (i + 2 + digits > text.Length || !int.TryParse(text.AsSpan(i + 2, digits), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out int code)
                    || code < 0 || code > 0x10FFFF)
                    throw new InvalidDataException("bad \\u escape in a protocol 0 string");
                builder.Append(char.ConvertFromUtf32(code is >= 0xD800 and <= 0xDFFF ? 0xFFFD : code));
                i += 1 + digits;
            }
            else builder.Append(text[i]);
        }
        return builder.ToString();
    }

    /// <summary>Protocol 0's <c>STRING</c>: a quoted Python 2 literal with backslash escapes.</summary>
    private static string DecodeQuotedString(string text)
    {
        if (text.Length < 2 || text[0] != text[^1] || (text[0] != '\'' && text[0] != '"'))
            throw new InvalidDataException("STRING opcode argument must be quoted");
        var builder = new StringBuilder(text.Length);
        for (int i = 1; i < text.Length - 1; i++)
        {
            char c = text[i];
            if (c != '\\' || i + 1 >= text.Length - 1) { builder.Append(c); continue; }
            char escape = text[++i];
            switch (escape)
            {
                case 'n': builder.Append('\n'); break;
                case 't': builder.Append('\t'); break;
                case 'r': builder.Append('\r'); break;
                case 'x' when i + 2 < text.Length - 1 && byte.TryParse(text.AsSpan(i + 1, 2), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out byte code):
                    builder.Append((char)code);
                    i += 2;
                    break;
                default: builder.Append(escape); break;
            }
        }
        return builder.ToString();
    }
}

using System.Diagnostics.CodeAnalysis;
using System.Text;
using GaussQuant.Checkpoints.Pickle;
using static TorchSharp.torch;

namespace GaussQuant.Checkpoints;

/// <summary>
/// Gives meaning to the few calls a <c>torch.save</c> pickle needs: storages (persistent ids), tensor and
/// parameter rebuilding, dictionaries and a handful of builtins. Every other class becomes an opaque
/// <see cref="PythonObject"/>, so Lightning's callbacks, loops and hyper-parameters load whatever they contain.
/// </summary>
internal sealed class TorchPickleResolver : IPickleResolver
{
    private readonly Dictionary<string, StorageReference> storages = [];

    /// <summary>The storage the pickle described under <paramref name="key"/>, if it did with a dtype this reader knows.</summary>
    public bool TryGetStorage(string key, [NotNullWhen(true)] out StorageReference? storage) => storages.TryGetValue(key, out storage);

    public object? PersistentLoad(object? id)
    {
        // torch.save writes ('storage', storage type, key, location, element count) for every storage; the legacy
        // format adds a sixth field, None or (view key, offset, element count) for a window of the storage.
        if (id is PythonTuple { Count: 4 } module && module[0] is "module")
            return module[1]; // a legacy whole-module save names the module's class (its source is ignored)
        if (id is not PythonTuple { Count: 5 or 6 } fields || fields[0] is not "storage")
            throw new InvalidDataException($"persistent id {PythonValues.Describe(id)} is not a PyTorch storage");
        if (fields[2] is not string key) throw new InvalidDataException("a storage key is not a string");
        long count = PythonValues.AsInt64(fields[4]) is long value and >= 0
            ? value : throw new InvalidDataException($"storage {key} has element count {PythonValues.Describe(fields[4])}");
        if (fields[1] is not PythonGlobal type || StorageDType(type) is not ScalarType dtype)
            return new PythonObject(fields[1] as PythonGlobal ?? new PythonGlobal("torch", "UnknownStorage"), fields.Items);
        var storage = Register(new StorageReference(key, dtype, count));
        return fields.Count == 6 && fields[5] is not null ? View(storage, fields[5]) : storage;
    }

    public object? Call(PythonGlobal callable, object?[] arguments)
    {
        switch (callable.FullName)
        {
            case "collections.OrderedDict" or "builtins.dict":
                return DictionaryFrom(arguments);
            case "collections.defaultdict":
                return new PythonDict(); // the default factory does not matter for reading
            case "builtins.list":
                return arguments is [List<object?> items] ? new List<object?>(items) : new List<object?>();
            case "builtins.set" or "builtins.frozenset":
                var set = new PythonObject(callable, []);
                if (arguments is [List<object?> members]) set.Items.AddRange(members);
                return set;
            case "builtins.bytearray" or "builtins.bytes":
                return arguments is [byte[] bytes] ? bytes : new PythonObject(callable, arguments);
            case "_codecs.encode":
                // Protocol 2 stores bytes as _codecs.encode(text, 'latin1').
                return arguments is [string text, "latin1" or "latin-1"] ? Encoding.Latin1.GetBytes(text) : new PythonObject(callable, arguments);
            case "copyreg._reconstructor":
                return arguments is [PythonGlobal type, ..] ? Call(type, []) : new PythonObject(callable, arguments);
            case "torch.Size":
                return arguments is [PythonTuple sizes] ? sizes : new PythonObject(callable, arguments);
            case "torch._utils._rebuild_tensor" or "torch._utils._rebuild_tensor_v2" or "torch._utils._rebuild_tensor_v3":
                return RebuildTensor(callable, arguments);
            case "torch._utils._rebuild_parameter" or "torch._utils._rebuild_parameter_with_state":
                return arguments.Length >= 1 ? arguments[0] : throw new InvalidDataException("_rebuild_parameter without data");
            case "torch._tensor._rebuild_from_type_v2":
                // (rebuild function, tensor subclass, its arguments, Python state): the plain tensor is what we need.
                return arguments is [PythonGlobal function, _, PythonTuple rebuildArguments, ..]
                    ? Call(function, rebuildArguments.Items) : new PythonObject(callable, arguments);
            default:
                return new PythonObject(callable, arguments);
        }
    }

    private StorageReference Register(StorageReference storage)
    {
        if (!storages.TryGetValue(storage.Key, out var known))
            return storages[storage.Key] = storage;
        return known == storage ? known : throw new InvalidDataException($"storage {storage.Key} is described twice with different types or sizes");
    }

    private static StorageView View(StorageReference root, object? metadata)
    {
        if (metadata is not PythonTuple { Count: 3 } fields || fields[0] is not string key
            || PythonValues.AsInt64(fields[1]) is not long offset || PythonValues.AsInt64(fields[2]) is not long count)
            throw new InvalidDataException($"storage {root.Key} has view metadata {PythonValues.Describe(metadata)}, not (key, offset, size)");
        if (offset < 0 || count < 0 || count > root.ElementCount - offset)
            throw new InvalidDataException(
                $"storage view {key} of {count} elements at offset {offset} lies outside storage {root.Key}, which holds {root.ElementCount}");
        return new StorageView(key, root, offset, count);
    }

    private static PythonDict DictionaryFrom(object?[] arguments)
    {
        var dict = new PythonDict();
        if (arguments is [List<object?> pairs])
            foreach (var pair in pairs)
            {
                if (pair is not PythonTuple { Count: 2 } keyValue) throw new InvalidDataException("a dictionary built from something other than pairs");
                dict.Set(keyValue[0], keyValue[1]);
            }
        return dict;
    }

    /// <summary>
    /// <c>_rebuild_tensor(storage, offset, size, stride)</c>, <c>_v2(…, requires_grad, hooks[, metadata])</c> and
    /// <c>_v3(…, requires_grad, hooks, dtype[, metadata])</c>. The view must lie inside its storage (or storage view,
    /// whose offset is added so that the tensor refers to the root storage).
    /// </summary>
    private object? RebuildTensor(PythonGlobal callable, object?[] arguments)
    {
        if (arguments.Length < 4) throw new InvalidDataException($"{callable.FullName} with {arguments.Length} arguments");
        object? source = arguments[0];
        if (source is StorageReference untyped && callable.Name == "_rebuild_tensor_v3" && arguments.Length >= 7)
            source = Reinterpret(untyped, arguments[6]);
        var (storage, start, available, name) = source switch
        {
            StorageReference plain => (plain, 0L, plain.ElementCount, $"storage {plain.Key}"),
            StorageView view => (view.Root, view.Offset, view.ElementCount, $"storage view {view.Key} (of storage {view.Root.Key})"),
            _ => (null, 0L, 0L, ""),
        };
        if (storage is null) return new PythonObject(callable, arguments); // e.g. a complex storage

        long offset = PythonValues.AsInt64(arguments[1]) is long first and >= 0
            ? first : throw new InvalidDataException($"tensor storage offset {PythonValues.Describe(arguments[1])}");
        long[] shape = IntegerTuple(arguments[2], "size");
        long[] strides = IntegerTuple(arguments[3], "stride");
        if (shape.Length != strides.Length) throw new InvalidDataException("tensor size and stride have different lengths");
        if (shape.Any(side => side < 0) || strides.Any(step => step < 0))
            throw new InvalidDataException("tensor with a negative size or stride");

        long end;
        try
        {
            long elementCount = shape.Aggregate(1L, (product, side) => checked(product * side));
            end = elementCount == 0 ? offset : checked(offset + 1 + shape.Zip(strides).Sum(pair => checked((pair.First - 1) * pair.Second)));
        }
        catch (OverflowException)
        {
            throw new InvalidDataException($"a tensor view [{string.Join(", ", shape)}] with strides [{string.Join(", ", strides)}] at offset {offset} is impossibly large");
        }
        if (end > available)
            throw new InvalidDataException(
                $"a tensor view [{string.Join(", ", shape)}] at offset {offset} reaches element {end} of {name}, which holds {available}");
        return new TensorReference(storage, start + offset, shape, strides);
    }

    private StorageReference Reinterpret(StorageReference storage, object? dtypeName)
    {
        if (dtypeName is not PythonGlobal { Module: "torch" } name || DTypeByName(name.Name) is not ScalarType dtype || dtype == storage.DType)
            return storage;
        long bytes = storage.ElementCount <= long.MaxValue / ScalarTypeSizes.Of(storage.DType)
            ? storage.ElementCount * ScalarTypeSizes.Of(storage.DType)
            : throw new InvalidDataException($"storage {storage.Key} claims {storage.ElementCount} elements, impossibly many");
        long size = ScalarTypeSizes.Of(dtype);
        if (bytes % size != 0) throw new InvalidDataException($"storage {storage.Key} is not a whole number of {dtype} elements");
        return new StorageReference(storage.Key, dtype, bytes / size);
    }

    private static long[] IntegerTuple(object? value, string what) => value is PythonTuple tuple
        ? tuple.Items.Select(item => PythonValues.AsInt64(item) ?? throw new InvalidDataException($"tensor {what} holds {PythonValues.Describe(item)}")).ToArray()
        : throw new InvalidDataException($"tensor {what} is {PythonValues.Describe(value)}, not a tuple");

    private static ScalarType? StorageDType(PythonGlobal type) => type.Module != "torch" ? null : type.Name switch
    {
        "FloatStorage" => ScalarType.Float32,
        "DoubleStorage" => ScalarType.Float64,
        "HalfStorage" => ScalarType.Float16,
        "BFloat16Storage" => ScalarType.BFloat16,
        "LongStorage" => ScalarType.Int64,
        "IntStorage" => ScalarType.Int32,
        "ShortStorage" => ScalarType.Int16,
        "CharStorage" => ScalarType.Int8,
        "ByteStorage" or "UntypedStorage" => ScalarType.Byte,
        "BoolStorage" => ScalarType.Bool,
        _ => null,
    };

    private static ScalarType? DTypeByName(string name) => name switch
    {
        "float32" or "float" => ScalarType.Float32,
        "float64" or "double" => ScalarType.Float64,
        "float16" or "half" => ScalarType.Float16,
        "bfloat16" => ScalarType.BFloat16,
        "int64" or "long" => ScalarType.Int64,
        "int32" or "int" => ScalarType.Int32,
        "int16" or "short" => ScalarType.Int16,
        "int8" => ScalarType.Int8,
        "uint8" => ScalarType.Byte,
        "bool" => ScalarType.Bool,
        _ => null,
    };
}

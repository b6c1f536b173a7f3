package dev.cobtree.calcite;

import dev.cobtree.query.TableIndex;

import org.apache.calcite.schema.Schema;
import org.apache.calcite.schema.SchemaFactory;
import org.apache.calcite.schema.SchemaPlus;

import java.lang.reflect.InvocationTargetException;
import java.util.Map;

/**
 * Creates a {@link CobtreeSchema} from a Calcite model file. The tables live in the application,
 * so the model names a class that hands them over: a {@link TableProvider} with a public no-argument
 * constructor, given as the operand {@code provider}:
 *
 * <pre>{@code
 * { "version": "1.0", "defaultSchema": "app",
 *   "schemas": [ { "name": "app", "type": "custom",
 *                  "factory": "dev.cobtree.calcite.CobtreeSchemaFactory",
 *                  "operand": { "provider": "com.example.AppTables" } } ] }
 * }</pre>
 *
 * and a connection opens with {@code jdbc:calcite:model=path/to/model.json} (or
 * {@code model=inline:{...}}). The other operands go to the provider.
 */
public final class CobtreeSchemaFactory implements SchemaFactory {

    /** Hands the application's table indexes to a schema built from a model file. */
    public interface TableProvider {
        /**
         * The tables of a schema.
         *
         * @param schemaName the schema's name in the model
         * @param operand the schema's operands in the model
         * @return table name to index
         */
        Map<String, TableIndex> tables(String schemaName, Map<String, Object> operand);
    }

    /** Public for Calcite's model handler, which instantiates factories reflectively. */
    public CobtreeSchemaFactory() {
    }

    @Override
    public Schema create(SchemaPlus parentSchema, String name, Map<String, Object> operand) {
        Object provider = operand.get("provider");
        if (!(provider instanceof String className)) {
            throw new IllegalArgumentException("schema '" + name + "': the operand 'provider' must name a "
                    + TableProvider.class.getName() + " class, but is " + provider);
        }
        TableProvider p;
        try {
            Class<?> c = Class.forName(className, true, Thread.currentThread().getContextClassLoader() != null
                    ? Thread.currentThread().getContextClassLoader() : CobtreeSchemaFactory.class.getClassLoader());
            p = (TableProvider) c.getConstructor().newInstance();
        } catch (ClassNotFoundException | NoSuchMethodException | InstantiationException | IllegalAccessException
                 | InvocationTargetException | ClassCastException e) {
            throw new IllegalArgumentException("schema '" + name + "': cannot create the table provider '" + className
                    + "' (a public class implementing " + TableProvider.class.getName() + " with a public no-argument constructor): " + e, e);
        }
        return new CobtreeSchema(p.tables(name, operand));
    }
}

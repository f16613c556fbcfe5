/* demo.c -- the bundled example the README profiles: a tiny word counter
   whose costs split over a few call paths (parsing, hashing, sorting). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NBUCKETS 1024

struct entry {
   char word[32];
   int count;
   struct entry* next;
};

static struct entry* table[NBUCKETS];

static unsigned hash(const char* s)
{
   unsigned h = 5381;
   while (*s)
      h = h * 33 + (unsigned char)*s++;
   return h % NBUCKETS;
}

static void add_word(const char* w)
{
   unsigned h = hash(w);
   struct entry* e;
   for (e = table[h]; e; e = e->next)
      if (!strcmp(e->word, w)) {
         e->count++;
         return;
      }
   e = calloc(1, sizeof *e);
   strncpy(e->word, w, sizeof e->word - 1);
   e->count = 1;
   e->next = table[h];
   table[h] = e;
}

static void make_text(char* buf, size_t n)
{
   static const char* words[] = {"profile", "cache", "call", "path", "cost",
                                 "valgrind", "flame", "graph", "line"};
   size_t used = 0;
   unsigned seed = 7;
   while (used + 16 < n) {
      seed = seed * 1103515245 + 12345;
      used += sprintf(buf + used, "%s ", words[(seed >> 16) % 9]);
   }
}

static void count_words(char* text)
{
   char* tok;
   for (tok = strtok(text, " "); tok; tok = strtok(NULL, " "))
      add_word(tok);
}

static int by_count(const void* a, const void* b)
{
   const struct entry* x = *(struct entry* const*)a;
   const struct entry* y = *(struct entry* const*)b;
   return y->count - x->count;
}

static void report(void)
{
   struct entry* all[64];
   int n = 0, i;
   for (i = 0; i < NBUCKETS; i++) {
      struct entry* e;
      for (e = table[i]; e && n < 64; e = e->next)
         all[n++] = e;
   }
   qsort(all, n, sizeof all[0], by_count);
   for (i = 0; i < n; i++)
      printf("%-10s %d\n", all[i]->word, all[i]->count);
}

int main(void)
{
   size_t n = 200000;
   char* text = malloc(n);
   make_text(text, n);
   count_words(text);
   report();
   free(text);
   return 0;
}
